// Static migration provider: file-based loading of .ts migrations fails under vitest on Node 20 (docs/stack.md#vitest).
import type { Migration, MigrationProvider } from 'kysely'
import * as m0001 from './0001_foundation.js'
import * as m0002 from './0002_grievances.js'
import * as m0003 from './0003_proposals.js'
import * as m0004 from './0004_activities.js'
import * as m0005 from './0005_digests.js'
import * as m0006 from './0006_server_secrets.js'
import * as m0007 from './0007_grievance_confidentiality.js'
import * as m0008 from './0008_activity_cards.js'
import * as m0009 from './0009_satisfaction_vocabulary.js'
import * as m0010 from './0010_live_cards.js'
import * as m0011 from './0011_holiday_arrangements.js'
import * as m0012 from './0012_once_only_claims.js'
import * as m0013 from './0013_organisation.js'
import * as m0014 from './0014_members.js'
import * as m0017 from './0017_holiday_reminders.js'
import * as m0028 from './0028_conversation_drafts.js'
import * as m0030 from './0030_mass_sends.js'
import * as m0038 from './0038_elections.js'
import * as m0027 from './0027_desk.js'
import * as m0032 from './0032_grievance_lifecycle.js'
import * as m0018 from './0018_notices.js'
import * as m0019 from './0019_polls.js'
import * as m0020 from './0020_congress.js'
import * as m0021 from './0021_mediation.js'
import * as m0022 from './0022_supervision.js'
import * as m0023 from './0023_care.js'
import * as m0024 from './0024_hardship.js'
import * as m0025 from './0025_recognition.js'
import * as m0026 from './0026_learning.js'
import * as m0034 from './0034_evidence.js'
import * as m0040 from './0040_dismissal_notices.js'
import * as m0041 from './0041_hazard_delay_supervision_cards.js'

const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_grievances': m0002,
  '0003_proposals': m0003,
  '0004_activities': m0004,
  '0005_digests': m0005,
  '0006_server_secrets': m0006,
  '0007_grievance_confidentiality': m0007,
  '0008_activity_cards': m0008,
  '0009_satisfaction_vocabulary': m0009,
  '0010_live_cards': m0010,
  '0011_holiday_arrangements': m0011,
  '0012_once_only_claims': m0012,
  '0013_organisation': m0013,
  '0014_members': m0014,
  '0017_holiday_reminders': m0017,
  '0028_conversation_drafts': m0028,
  '0027_desk': m0027,
  '0018_notices': m0018,
  '0019_polls': m0019,
  '0020_congress': m0020,
  '0021_mediation': m0021,
  '0022_supervision': m0022,
  '0023_care': m0023,
  '0024_hardship': m0024,
  '0025_recognition': m0025,
  '0026_learning': m0026,
  '0030_mass_sends': m0030,
  '0032_grievance_lifecycle': m0032,
  '0034_evidence': m0034,
  '0038_elections': m0038,
  '0040_dismissal_notices': m0040,
  '0041_hazard_delay_supervision_cards': m0041,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
