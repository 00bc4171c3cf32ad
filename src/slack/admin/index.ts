import type { SlackServices } from '../context.js';
import { ADMIN_ACTION, ADMIN_VIEW } from '../ids.js';
import { action, type Registration, view } from '../registry.js';
import {
  buildCategory,
  buildDeskHours,
  buildDeskSettings,
  buildDeskSla,
  buildDeskTemplates,
  buildNewCategory,
  buildNewDesk,
  openAdminForm,
  type RefreshHome,
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

/**
 * Administration of desks, categories, SLA targets and calendars from the App Home; `refreshHome`
 * publishes the Home again once a form is open (it clears the select that was used).
 */
export function adminListeners(s: SlackServices, refreshHome: RefreshHome): Registration[] {
  return [
    action(ADMIN_ACTION.newDesk, openAdminForm(s, buildNewDesk, refreshHome)),
    action(ADMIN_ACTION.deskSettings, openAdminForm(s, buildDeskSettings, refreshHome)),
    action(ADMIN_ACTION.deskSla, openAdminForm(s, buildDeskSla, refreshHome)),
    action(ADMIN_ACTION.deskHours, openAdminForm(s, buildDeskHours, refreshHome)),
    action(ADMIN_ACTION.deskTemplates, openAdminForm(s, buildDeskTemplates, refreshHome)),
    action(ADMIN_ACTION.newCategory, openAdminForm(s, buildNewCategory, refreshHome)),
    action(ADMIN_ACTION.category, openAdminForm(s, buildCategory, refreshHome)),
    view(ADMIN_VIEW.newDesk, submitAdminForm(s, runNewDesk)),
    view(ADMIN_VIEW.settings, submitAdminForm(s, runDeskSettings)),
    view(ADMIN_VIEW.sla, submitAdminForm(s, runDeskSla)),
    view(ADMIN_VIEW.hours, submitAdminForm(s, runDeskHours)),
    view(ADMIN_VIEW.templates, submitAdminForm(s, runDeskTemplates)),
    view(ADMIN_VIEW.category, submitAdminForm(s, runCategory)),
  ];
}
