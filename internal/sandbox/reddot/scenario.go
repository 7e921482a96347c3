package reddot

// outcome is what the emulated acquirer does with a card operation.
type outcome int

// The outcomes the magic cards and amounts select (see doc.go).
const (
	approve outcome = iota
	decline
	pendingApprove // -01 now, approved later
	pendingDecline // -01 now, declined later
)

// Magic card numbers (all pass the Luhn check). They are recognised by
// first 6 and last 4 digits, so a token of such a card behaves the same.
const (
	CardApprove        = "4111111111111111"
	CardDecline        = "4000000000000002"
	CardPendingApprove = "4000000000000101"
	CardPendingDecline = "4000000000000119"
)

// Magic amounts, in whole major units with no fraction ("666.00" SGD,
// "666" IDR).
const (
	AmountDecline        = 666
	AmountPendingApprove = 777
	AmountPendingDecline = 778
)

// cardOutcome is the outcome a card selects on its own.
func cardOutcome(c card) outcome {
	switch c.First6 + c.Last4 {
	case firstN(CardDecline, 6) + lastN(CardDecline, 4):
		return decline
	case firstN(CardPendingApprove, 6) + lastN(CardPendingApprove, 4):
		return pendingApprove
	case firstN(CardPendingDecline, 6) + lastN(CardPendingDecline, 4):
		return pendingDecline
	}
	return approve
}

// paymentOutcome is the outcome of paying minor units of ccy with c: a
// magic card wins over a magic amount.
func paymentOutcome(c card, minor int64, ccy string) outcome {
	if o := cardOutcome(c); o != approve {
		return o
	}
	whole, exact := majorUnits(minor, ccy)
	if !exact {
		return approve
	}
	switch whole {
	case AmountDecline:
		return decline
	case AmountPendingApprove:
		return pendingApprove
	case AmountPendingDecline:
		return pendingDecline
	}
	return approve
}
