export * from './conversation.js';
export * from './delivery.js';
export * from './desks.js';
export * from './events.js';
export * from './home.js';
export * from './relations.js';
export * from './sla.js';
export * from './tickets.js';
