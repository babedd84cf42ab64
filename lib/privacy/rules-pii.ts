import { isIP } from 'node:net';
import { isCardNumber } from './luhn.ts';

/**
 * Personal and network data: e-mails, IP and MAC addresses, phone, card and social security
 * numbers, URLs, host names and UUIDs. Each rule looks for a cheap trigger character before it
 * runs its regex, and candidates are validated (node:net for IPs, Luhn for cards) so look-alikes
 * such as versions, dates and digests are not findings.
 */
const EMAIL =
  /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/;

// A dotted quad not glued to more dots or word characters: `v1.2.3.4` and `1.2.3.4.5` are versions.
const IPV4 = /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.]*\d)(?![A-Za-z_])/g;
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|\d{1,3}(?:\.\d{1,3}){3})(?![\w:])/g;
const MAC = /(?<![\w:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![\w:-])/;

const PHONE_E164 = /(?<![\w+])\+[1-9][\d\s().-]{6,20}\d(?![\w])/g;
const PHONE_NANP = /(?<![\w.-])(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w.-]*\d)/;
// National formats with a trunk 0: `020 7946 0958`, `030-12345678`, `06 12 34 56 78`.
const PHONE_TRUNK = /(?<![\w.+-])0\d{1,4}(?:[\s/-]\d{2,8}){1,4}(?![\w.-]*\d)/g;

// Not glued to word characters: a digit run inside `p_4539…` or a hex digest is not a card.
const CARD = /(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w.])/g;
const SSN = /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/;

const URL = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s"'<>]+/;
const UUID =
  /(?<![0-9A-Fa-f-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f-])/;

/**
 * Top-level domains and private suffixes that make a dotted name a host: `test`, `dev` and `app`
 * are left out on purpose because `tester.test` is a framework capability.
 */
const TLDS =
  'com|net|org|io|ai|co|us|uk|de|fr|nl|se|ch|it|es|pl|jp|cn|in|ru|br|au|ca|eu|info|biz|cloud|tech|xyz|online|site|gov|edu|mil|int|internal|local|localdomain|lan|corp|home|intranet|private|example|invalid|arpa|onion|ly|gg|tv|me|sh';
const HOSTNAME = new RegExp(
  `(?<![\\w@.%-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+(?:${TLDS})(?![\\w-]|\\.[A-Za-z0-9])`,
  'i',
);

export function piiRules(text: string, out: string[]): void {
  const hasAt = text.includes('@') || text.includes('%40');
  if (hasAt && EMAIL.test(text)) out.push('pii/email');
  const hasDigit = /\d/.test(text);
  if (hasDigit && text.includes('.') && hasIPv4(text)) out.push('pii/ipv4');
  if (text.includes(':')) {
    if (hasIPv6(text)) out.push('pii/ipv6');
    if (text.includes('://')) {
      if (URL.test(text)) out.push('pii/url');
    }
  }
  if (hasDigit) {
    if ((text.includes(':') || text.includes('-')) && MAC.test(text)) out.push('pii/mac-address');
    if (hasPhone(text)) out.push('pii/phone');
    if (hasCard(text)) out.push('pii/card-number');
    if (text.includes('-')) {
      if (SSN.test(text)) out.push('pii/ssn');
      if (UUID.test(text)) out.push('pii/uuid');
    }
  }
  if (text.includes('.') && HOSTNAME.test(text)) out.push('pii/hostname');
}

function hasIPv4(text: string): boolean {
  IPV4.lastIndex = 0;
  for (let m = IPV4.exec(text); m !== null; m = IPV4.exec(text)) if (isIP(m[0]) === 4) return true;
  return false;
}

function hasIPv6(text: string): boolean {
  IPV6.lastIndex = 0;
  for (let m = IPV6.exec(text); m !== null; m = IPV6.exec(text)) {
    const c = m[0];
    // `::` alone and clock times (`03:00:00`) parse or nearly parse; an address has hex digits.
    if (c.length < 3 || !/[0-9A-Fa-f]{2}/.test(c)) continue;
    if (isIP(c) === 6) return true;
  }
  return false;
}

function hasPhone(text: string): boolean {
  if (text.includes('+')) {
    PHONE_E164.lastIndex = 0;
    for (let m = PHONE_E164.exec(text); m !== null; m = PHONE_E164.exec(text)) {
      const digits = m[0].replace(/\D/g, '');
      if (digits.length >= 8 && digits.length <= 15) return true;
    }
  }
  if (PHONE_NANP.test(text)) return true;
  if (text.includes('0')) {
    PHONE_TRUNK.lastIndex = 0;
    for (let m = PHONE_TRUNK.exec(text); m !== null; m = PHONE_TRUNK.exec(text)) {
      const digits = m[0].replace(/\D/g, '');
      if (digits.length >= 9 && digits.length <= 12) return true;
    }
  }
  return false;
}

function hasCard(text: string): boolean {
  if (text.length < 13) return false;
  CARD.lastIndex = 0;
  for (let m = CARD.exec(text); m !== null; m = CARD.exec(text)) {
    if (isCardNumber(m[0].replace(/[ -]/g, ''))) return true;
  }
  return false;
}

/** A number value (not a string) that is a card number. */
export function isCardNumberValue(digits: string): boolean {
  return isCardNumber(digits);
}
