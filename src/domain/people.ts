/**
 * The port through which the mail channel asks whether an address belongs to a workspace member
 * (Slack's users.lookupByEmail, cached); the entry point hands the Slack implementation in.
 */
export interface MemberLookup {
  /** The member's Slack user id, or null when no member has this address. */
  byEmail(address: string): Promise<string | null>;
}
