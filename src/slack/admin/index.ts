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
export function adminListeners(services: SlackServices, refreshHome: RefreshHome): Registration[] {
  return [
    action(ADMIN_ACTION.newDesk, openAdminForm(services, buildNewDesk, refreshHome)),
    action(ADMIN_ACTION.deskSettings, openAdminForm(services, buildDeskSettings, refreshHome)),
    action(ADMIN_ACTION.deskSla, openAdminForm(services, buildDeskSla, refreshHome)),
    action(ADMIN_ACTION.deskHours, openAdminForm(services, buildDeskHours, refreshHome)),
    action(ADMIN_ACTION.deskTemplates, openAdminForm(services, buildDeskTemplates, refreshHome)),
    action(ADMIN_ACTION.newCategory, openAdminForm(services, buildNewCategory, refreshHome)),
    action(ADMIN_ACTION.category, openAdminForm(services, buildCategory, refreshHome)),
    view(ADMIN_VIEW.newDesk, submitAdminForm(services, runNewDesk)),
    view(ADMIN_VIEW.settings, submitAdminForm(services, runDeskSettings)),
    view(ADMIN_VIEW.sla, submitAdminForm(services, runDeskSla)),
    view(ADMIN_VIEW.hours, submitAdminForm(services, runDeskHours)),
    view(ADMIN_VIEW.templates, submitAdminForm(services, runDeskTemplates)),
    view(ADMIN_VIEW.category, submitAdminForm(services, runCategory)),
  ];
}
