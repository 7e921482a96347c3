package redotpay

import "strings"

// isoFiat lists the active ISO 4217 fiat currency codes (no precious
// metals, funds or testing codes). Both profiles accept only these.
var isoFiat = makeSet(`
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL
BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP
ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR
IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG`)

// zeroDecimal and threeDecimal are the fiat currencies whose minor unit is
// not a hundredth (ISO 4217 exponent 0 and 3); all others have exponent 2.
var (
	zeroDecimal  = makeSet("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF")
	threeDecimal = makeSet("BHD IQD JOD KWD LYD OMR TND")
)

// validCurrency reports whether code is an active ISO 4217 fiat code.
func validCurrency(code string) bool {
	_, ok := isoFiat[code]
	return ok
}

// currencyExponent returns the number of decimals in code's minor unit.
func currencyExponent(code string) int {
	if _, ok := zeroDecimal[code]; ok {
		return 0
	}
	if _, ok := threeDecimal[code]; ok {
		return 3
	}
	return 2
}

func makeSet(words string) map[string]struct{} {
	set := make(map[string]struct{})
	for _, w := range strings.Fields(words) {
		set[w] = struct{}{}
	}
	return set
}
