import { authenticate, type DNSResolver } from 'mailauth';
import type { SenderAuthentication } from './types.js';

/**
 * Whether a mail's From: domain vouches for it (MAIL_VERIFY_SENDER), with mailauth: SPF for the SMTP
 * client's address and MAIL FROM, DKIM signatures, and DMARC, which ties them to the From: domain.
 *
 * Verified means:
 * - DMARC passes (an SPF or DKIM pass aligned with the From: domain, as the domain's record asks);
 * - or, when the From: domain publishes no DMARC record, a DKIM signature of the From: domain (relaxed
 *   alignment) passes, or SPF passes for exactly the From: domain.
 * Anything else, a DNS failure (temperror) or a check that takes too long included, is "not
 * verified": the mail is still taken, only its sender is not believed to be who From: says.
 *
 * ARC is not evaluated: a forwarder's seal would only count for forwarders Folio was told to trust,
 * and there is no such list. Through the inbound webhook there is no SMTP client address, so SPF
 * cannot pass and DKIM is what remains.
 */

/** A DNS lookup as `dns.promises.resolve` does it: records, or an error with a `code` (ENOTFOUND…). */
export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;

/** The longest a check may take: past it the mail goes on, not verified (the SMTP client is waiting). */
export const SENDER_CHECK_TIMEOUT_MS = 20_000;

export interface SenderCheckInput {
  raw: Buffer;
  /** The SMTP client's address; absent for the webhook. */
  ip?: string;
  helo?: string;
  /** The envelope sender (MAIL FROM); empty for a bounce. */
  mailFrom?: string;
}

export async function checkSender(
  input: SenderCheckInput,
  options: { resolver?: DnsResolver } = {},
): Promise<SenderAuthentication> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<SenderAuthentication>((resolve) => {
    timer = setTimeout(
      () => resolve(unverified(`the check took over ${SENDER_CHECK_TIMEOUT_MS / 1000} s`)),
      SENDER_CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([evaluate(input, options.resolver), timeout]);
  } catch (error) {
    return unverified(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}

async function evaluate(
  input: SenderCheckInput,
  resolver: DnsResolver | undefined,
): Promise<SenderAuthentication> {
  const result = await authenticate(input.raw, {
    ...(input.ip ? { ip: input.ip } : {}),
    ...(input.helo ? { helo: input.helo } : {}),
    ...(input.mailFrom ? { sender: input.mailFrom } : {}),
    mta: 'folio',
    disableArc: true,
    disableBimi: true,
    // mailauth's own type narrows the records to strings; MX and other lookups return objects.
    ...(resolver ? { resolver: resolver as DNSResolver } : {}),
  });

  const fromDomains = (result.dkim.headerFrom ?? []).map((address) => domainOf(address));
  const fromDomain = fromDomains.length === 1 ? fromDomains[0] : undefined;
  const dmarc = result.dmarc ? result.dmarc.status.result : 'none';
  const spf = result.spf ? result.spf.status.result : 'none';
  const dkimResults = result.dkim.results ?? [];
  const dkim = dkimResults.some((row) => row.status.result === 'pass')
    ? 'pass'
    : (dkimResults[0]?.status.result ?? 'none');

  let verified = false;
  if (fromDomain !== undefined) {
    if (dmarc === 'pass') verified = true;
    else if (dmarc === 'none') {
      const alignedDkim = dkimResults.some(
        (row) => row.status.result === 'pass' && Boolean(row.status.aligned),
      );
      const spfForFrom =
        spf === 'pass' && result.spf !== false && result.spf.domain?.toLowerCase() === fromDomain;
      verified = alignedDkim || spfForFrom;
    }
  }
  return { verified, summary: `dmarc=${dmarc} spf=${spf} dkim=${dkim}` };
}

function domainOf(address: string): string {
  return (address.split('@').pop() ?? '').trim().toLowerCase();
}

function unverified(reason: string): SenderAuthentication {
  return { verified: false, summary: `dmarc=temperror spf=temperror dkim=temperror (${reason})` };
}
