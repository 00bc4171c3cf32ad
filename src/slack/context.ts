import type { Services } from '../services.js';
import type { WorkspaceInfo } from './workspace.js';

/** What Slack listeners work with: the use cases' services and facts about the workspace. */
export interface SlackServices extends Services {
  workspace: WorkspaceInfo;
}
