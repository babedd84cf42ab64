/** Luhn (mod 10) check over a string of digits: card numbers pass it, 9 in 10 random digit runs do not. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * A card number: 13–19 digits, an issuer prefix (Amex/Diners/JCB 3, Visa 4, Mastercard 51–55 and
 * 2221–2720, Discover/UnionPay/Maestro 5–6) and the Luhn check. The prefix test keeps epoch
 * milliseconds and microseconds (which start with 1) and `YYYYMMDD…` stamps out.
 */
export function isCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  const first = digits.charCodeAt(0) - 48;
  if (first === 2) {
    const p4 = Number(digits.slice(0, 4));
    if (p4 < 2221 || p4 > 2720) return false;
  } else if (first < 3 || first > 6) return false;
  return luhnValid(digits);
}
