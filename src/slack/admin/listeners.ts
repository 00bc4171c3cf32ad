import type { SlackServices } from '../context.js';
import { action, type Registration, view } from '../listeners/registry.js';
import { ADMIN_ACTION, ADMIN_VIEW } from './ids.js';
import {
  buildCategory,
  buildDeskHours,
  buildDeskSettings,
  buildDeskSla,
  buildDeskTemplates,
  buildNewCategory,
  buildNewDesk,
  openAdminForm,
} from './open.js';
import {
  runCategory,
  runDeskHours,
  runDeskSettings,
  runDeskSla,
  runDeskTemplates,
  runNewDesk,
  submitAdminForm,
} from './submit.js';

/** Administration of desks, categories, SLA targets and calendars from the App Home. */
export function adminListeners(s: SlackServices): Registration[] {
  return [
    action(ADMIN_ACTION.newDesk, openAdminForm(s, buildNewDesk)),
    action(ADMIN_ACTION.deskSettings, openAdminForm(s, buildDeskSettings)),
    action(ADMIN_ACTION.deskSla, openAdminForm(s, buildDeskSla)),
    action(ADMIN_ACTION.deskHours, openAdminForm(s, buildDeskHours)),
    action(ADMIN_ACTION.deskTemplates, openAdminForm(s, buildDeskTemplates)),
    action(ADMIN_ACTION.newCategory, openAdminForm(s, buildNewCategory)),
    action(ADMIN_ACTION.category, openAdminForm(s, buildCategory)),
    view(ADMIN_VIEW.newDesk, submitAdminForm(s, runNewDesk)),
    view(ADMIN_VIEW.settings, submitAdminForm(s, runDeskSettings)),
    view(ADMIN_VIEW.sla, submitAdminForm(s, runDeskSla)),
    view(ADMIN_VIEW.hours, submitAdminForm(s, runDeskHours)),
    view(ADMIN_VIEW.templates, submitAdminForm(s, runDeskTemplates)),
    view(ADMIN_VIEW.category, submitAdminForm(s, runCategory)),
  ];
}
