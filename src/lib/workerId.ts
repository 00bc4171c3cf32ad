import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** This process, among replicas: host, pid and a random tag (a pid can come back after a restart). */
export const defaultWorkerId = (): string => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
