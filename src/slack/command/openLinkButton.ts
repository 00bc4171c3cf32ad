/**
 * Link buttons ("Open card", "Your conversation" under `/ticket TKT042`) open their URL in the
 * browser; Slack still sends the click, which needs an ack.
 */
export const openLinkButton = async ({ ack }: { ack: () => Promise<void> }): Promise<void> => ack();
