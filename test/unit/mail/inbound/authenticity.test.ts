import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import { describe, expect, it } from 'vitest';
import { checkSender, type DnsResolver } from '../../../../src/mail/inbound/authenticity.js';
import { readMail } from '../../../../src/mail/inbound/read.js';

/**
 * The sender check against a DNS of the test's own (this machine has none): TXT records by name, every
 * other name "not found" as the real resolver says it.
 */
function dns(records: Record<string, string>): { resolver: DnsResolver; asked: string[] } {
  const asked: string[] = [];
  const resolver: DnsResolver = async (name, rrtype) => {
    asked.push(`${rrtype} ${name}`);
    const record = rrtype === 'TXT' ? records[name.toLowerCase()] : undefined;
    if (record === undefined) {
      throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    }
    // TXT answers come in strings of at most 255 characters, as DNS gives them.
    return [record.match(/.{1,255}/g) ?? []];
  };
  return { resolver, asked };
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dkimKeyRecord = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;

const mail = (from: string, body = 'The VPN drops every ten minutes.') =>
  Buffer.from(
    [
      `From: ${from}`,
      'To: it@folio.example.com',
      'Subject: VPN',
      'Date: Tue, 5 Mar 2024 10:00:00 +0000',
      'Message-ID: <vpn.1@example.com>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n'),
  );

async function signed(raw: Buffer, domain: string): Promise<Buffer> {
  const key = {
    signingDomain: domain,
    selector: 'folio2024',
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
  };
  // mailauth signs with the entries of signatureData; its typings also ask for one at the top level.
  // signTime: without it mailauth reads the clock twice (rounded to the second), for the header it
  // signs and the one it writes, and about one signature in 500 carries a t= other than the one signed.
  const result = await dkimSign(raw, { ...key, signatureData: [key], signTime: new Date() });
  expect(result.errors).toEqual([]);
  return Buffer.concat([Buffer.from(result.signatures), raw]);
}

describe('checkSender', () => {
  it('verifies a mail signed by its From: domain, whose DMARC record asks for alignment', async () => {
    const { resolver } = dns({
      'folio2024._domainkey.example.com': dkimKeyRecord,
      '_dmarc.example.com': 'v=DMARC1; p=reject',
      'example.com': 'v=spf1 ip4:203.0.113.0/24 -all',
    });
    const raw = await signed(mail('Alice <alice@example.com>'), 'example.com');

    // Sent from an address SPF does not allow: the aligned DKIM signature is enough for DMARC.
    const result = await checkSender(
      { raw, ip: '127.0.0.1', helo: 'mail.example.com', mailFrom: 'alice@example.com' },
      { resolver },
    );
    expect(result).toEqual({ verified: true, summary: 'dmarc=pass spf=fail dkim=pass' });
  });

  it('verifies a signed mail whose domain publishes no DMARC record', async () => {
    const { resolver } = dns({ 'folio2024._domainkey.example.org': dkimKeyRecord });
    const raw = await signed(mail('bob@example.org'), 'example.org');
    const result = await checkSender({ raw, ip: '127.0.0.1', mailFrom: 'bob@example.org' }, { resolver });
    expect(result).toEqual({ verified: true, summary: 'dmarc=none spf=none dkim=pass' });
  });

  it('does not verify a mail signed by another domain than its From: one', async () => {
    const { resolver } = dns({ 'folio2024._domainkey.attacker.example': dkimKeyRecord });
    const raw = await signed(mail('boss@example.org'), 'attacker.example');
    const result = await checkSender({ raw, ip: '127.0.0.1', mailFrom: 'x@attacker.example' }, { resolver });
    expect(result).toEqual({ verified: false, summary: 'dmarc=none spf=none dkim=pass' });
  });

  it('verifies by SPF alone a domain without DMARC that allows the sending address', async () => {
    const { resolver } = dns({ 'example.net': 'v=spf1 ip4:127.0.0.0/8 -all' });
    const result = await checkSender(
      { raw: mail('carol@example.net'), ip: '127.0.0.1', mailFrom: 'carol@example.net' },
      { resolver },
    );
    expect(result).toEqual({ verified: true, summary: 'dmarc=none spf=pass dkim=none' });
  });

  it('does not verify a spoofed From: of a domain with SPF -all and DMARC p=reject', async () => {
    const { resolver } = dns({
      'bank.example': 'v=spf1 ip4:203.0.113.0/24 -all',
      '_dmarc.bank.example': 'v=DMARC1; p=reject',
    });
    const result = await checkSender(
      {
        raw: mail('CEO <ceo@bank.example>'),
        ip: '127.0.0.1',
        helo: 'spoofer.test',
        mailFrom: 'ceo@bank.example',
      },
      { resolver },
    );
    expect(result).toEqual({ verified: false, summary: 'dmarc=fail spf=fail dkim=none' });
  });

  it('does not verify a signed mail whose body was changed after signing', async () => {
    const { resolver } = dns({
      'folio2024._domainkey.example.com': dkimKeyRecord,
      '_dmarc.example.com': 'v=DMARC1; p=none',
    });
    const raw = await signed(mail('alice@example.com'), 'example.com');
    const tampered = Buffer.from(raw.toString('utf8').replace('ten minutes', 'hour: wire 10,000 EUR'));
    const result = await checkSender({ raw: tampered, ip: '127.0.0.1' }, { resolver });
    expect(result.verified).toBe(false);
    expect(result.summary).toMatch(/^dmarc=fail spf=\w+ dkim=(neutral|fail)$/);
  });

  it('does not verify, and does not throw, when DNS fails', async () => {
    const resolver: DnsResolver = async (name) => {
      throw Object.assign(new Error(`queryTxt ESERVFAIL ${name}`), { code: 'ESERVFAIL' });
    };
    const raw = await signed(mail('alice@example.com'), 'example.com');
    const result = await checkSender({ raw, ip: '127.0.0.1', mailFrom: 'alice@example.com' }, { resolver });
    expect(result.verified).toBe(false);
    expect(result.summary).toContain('dmarc=temperror');
  });
});

describe('readMail', () => {
  it('parses and checks the sender when asked to', async () => {
    const { resolver } = dns({
      'folio2024._domainkey.example.com': dkimKeyRecord,
      '_dmarc.example.com': 'v=DMARC1; p=reject',
    });
    const raw = await signed(mail('Alice <alice@example.com>'), 'example.com');
    const envelope = { recipients: ['it@folio.example.com'], ip: '127.0.0.1', mailFrom: 'alice@example.com' };

    const checked = await readMail(raw, envelope, { verifySender: true, resolver });
    expect(checked.from).toEqual({ address: 'alice@example.com', name: 'Alice' });
    expect(checked.authentication).toEqual({ verified: true, summary: 'dmarc=pass spf=none dkim=pass' });

    const unchecked = await readMail(raw, envelope, { verifySender: false, resolver });
    expect(unchecked.authentication).toBeNull();
    expect(unchecked.text).toBe('The VPN drops every ten minutes.');
  });
});
