import type { Background } from '../lib/background.js';
import type { Services } from '../services.js';
import type { People } from './kit/people.js';
import type { WorkspaceInfo } from './kit/workspace.js';

/**
 * What Slack listeners work with: the use cases' services, facts about the workspace, and a runner
 * for what happens after the ack.
 */
export interface SlackServices extends Services {
  workspace: WorkspaceInfo;
  background: Background;
  people: People;
}
