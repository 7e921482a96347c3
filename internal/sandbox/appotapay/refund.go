package appotapay

import (
	"fmt"
	"net/http"
	"time"
)

// createRefund serves POST /api/v1/transaction/refund. A refund starts in
// Config.RefundStatus and settles after Config.RefundSettleAfter.
func (s *Server) createRefund(r *http.Request, partner *Partner) (any, *apiError) {
	p, apiErr := readParams(r)
	if apiErr != nil {
		return nil, apiErr
	}
	c := newChecker(p)
	req := refundRequest{
		Partner:      partner,
		PartnerRefID: c.str("refundId", true, 50),
		TransID:      c.str("appotapayTransId", true, 50),
		Amount:       c.vnd("amount"),
		Reason:       c.str("reason", true, 100),
	}
	signature := c.signature()
	if apiErr := c.err(); apiErr != nil {
		return nil, apiErr
	}
	if !verifyHex(partner.SecretKey, canonical(refundKeys, p.texts(refundKeys)), signature) {
		return nil, signatureError("refund fields (amount, appotapayTransId, reason, refundId)")
	}
	rf, apiErr := s.acceptRefund(req)
	if apiErr != nil {
		return nil, apiErr
	}
	return refundResponseOf(&rf, partner.SecretKey), nil
}

// acceptRefund applies the refund rules and magic amounts to a validated
// request and stores the refund, starting in Config.RefundStatus.
func (s *Server) acceptRefund(req refundRequest) (refund, *apiError) {
	rf, apiErr := s.store.addRefund(req, func(o *order, now time.Time) (refund, *apiError) {
		if apiErr := refundScenario(req.Amount); apiErr != nil {
			return refund{}, apiErr
		}
		rf := refund{
			ID:           s.newRefundID(),
			PartnerRefID: req.PartnerRefID,
			PartnerCode:  req.Partner.Code,
			TransID:      o.TransID,
			Amount:       req.Amount,
			Reason:       req.Reason,
			Status:       s.cfg.RefundStatus,
			CreatedAt:    now,
			Outcome:      refundOutcome(req.Amount),
		}
		if s.cfg.RefundSettleAfter > 0 {
			rf.SettleAt = now.Add(s.cfg.RefundSettleAfter)
		}
		return rf, nil
	})
	if apiErr == nil {
		s.kit.Logger.Info("refund created", "partner", req.Partner.Code, "refund_id", rf.ID, "trans_id", rf.TransID, "amount", rf.Amount, "status", rf.Status)
	}
	return rf, apiErr
}

// refundDetail serves GET /api/v1/transaction/refund/{refundId}, where
// refundId is the partner's refund id: the refund's current status.
func (s *Server) refundDetail(r *http.Request, partner *Partner) (any, *apiError) {
	id := r.PathValue("refundId")
	rf, ok := s.store.refund(partner.Code, id)
	if !ok {
		return nil, newError(codeNotFound, "Transaction is not found: refundId %q", id)
	}
	return refundResponseOf(&rf, partner.SecretKey), nil
}

// newRefundID returns an AppotaPay refund id, a UUID-shaped string like
// the documented 57bd2769-3827-42a4-be47-aab498496a46.
func (s *Server) newRefundID() string {
	d := s.kit.IDs.Digits(32)
	return fmt.Sprintf("%s-%s-%s-%s-%s", d[0:8], d[8:12], d[12:16], d[16:20], d[20:32])
}
