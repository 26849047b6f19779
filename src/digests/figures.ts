// What a digest or report shows, gathered from the features that own the figures (src/<feature>/figures.ts): the
// digest queries no feature's tables itself, so a new feature contributes its figures here and nowhere else.
import type { Db } from '../db/schema.js'
import { activityFigures, upcomingActivities } from '../activities/figures.js'
import { careFigures } from '../care/figures.js'
import type { CareFigures } from '../care/model.js'
import type { ActivityFigures, UpcomingActivity } from '../activities/model.js'
import { casesAwaitingAcceptance, grievanceFigures, grievancesByCategory, grievancesPerBucket, overdueGrievances } from '../grievances/figures.js'
import type { GrievanceFigures, OpenCase } from '../grievances/model.js'
import { latestWindowCounts, overdueProposalList, proposalFigures } from '../proposals/figures.js'
import type { OverdueProposal, ProposalFigures, WindowStatusCounts } from '../proposals/model.js'
import { learningFigures } from '../learning/figures.js'
import type { LearningFigures } from '../learning/model.js'
import type { CategoryCount } from './model.js'
import { mediationFigures } from '../mediation/figures.js'
import type { MediationFigures } from '../mediation/model.js'
import { overdueSupervision, supervisionFigures, type OverdueMatter } from '../supervision/figures.js'
import type { SupervisionFigures } from '../supervision/model.js'
import { democracyFigures } from '../polls/figures.js'
import { hardshipFigures, type HardshipFigures } from '../hardship/figures.js'
import { noticeFigures, type NoticeFigures } from '../notices/figures.js'
import type { DemocracyFigures, Share } from '../polls/model.js'

/** Proposal figures exist only once the proposal feature has a collection window. */
export type ProposalPart = { figures: ProposalFigures; window: WindowStatusCounts }

export interface DigestFigures {
  grievances: GrievanceFigures
  /** Cases filed in the period by category (raw: the audience's reduction is src/digests/model.ts's). */
  categories: CategoryCount[]
  /** Cases filed per chart bucket and category. */
  buckets: Array<{ bucket: number; category: string; count: number }>
  proposals?: ProposalPart
  upcoming: UpcomingActivity[]
  /** Mediation applications and supervision matters opened in the period (counts only, issue #16). */
  casework: { mediation: number; supervision: number }
}

/**
 * The figures of a weekly or daily digest: the period [from, to), chart buckets between `bounds`, the proposal
 * window as of the local date `today`, and up to `upcoming.limit` open activities starting in [upcoming.from, upcoming.until).
 */
export async function digestFigures(
  db: Db,
  q: { from: Date; to: Date; bounds: readonly Date[]; today: string; upcoming: { from: Date; until: Date; limit: number } },
): Promise<DigestFigures> {
  const [grievances, categories, buckets, window, upcoming, mediation, supervision] = await Promise.all([
    grievanceFigures(db, q.from, q.to),
    grievancesByCategory(db, q.from, q.to),
    grievancesPerBucket(db, q.bounds),
    latestWindowCounts(db, q.today),
    upcomingActivities(db, q.upcoming.from, q.upcoming.until, q.upcoming.limit),
    // The period days of Art. 14 do not matter for a count of applications; the time zone neither.
    mediationFigures(db, q.from, q.to, { periodDays: 15, timeZone: 'UTC' }),
    supervisionFigures(db, q.from, q.to, q.to),
  ])
  const proposals = window ? { figures: await proposalFigures(db, q.from, q.to), window } : undefined
  const casework = { mediation: mediation.applications, supervision: supervision.opened }
  return { grievances, categories, buckets, ...(proposals ? { proposals } : {}), upcoming, casework }
}

export interface CommitteeFigures {
  overdueGrievances: { items: OpenCase[]; total: number }
  awaitingAcceptance: { items: OpenCase[]; total: number }
  overdueProposals: { items: OverdueProposal[]; total: number }
  /** 意见书 whose reply is overdue (issue #16): number, department and deadline only. */
  overdueSupervision: { items: OverdueMatter[]; total: number }
}

/** The committee's lists as they stand at `now` (proposal due dates compare with the local date `today`). */
export async function committeeFigures(db: Db, now: Date, today: string, limit: number): Promise<CommitteeFigures> {
  const [overdue, awaiting, proposals, supervision] = await Promise.all([
    overdueGrievances(db, now, limit),
    casesAwaitingAcceptance(db, now, limit),
    overdueProposalList(db, today, limit),
    overdueSupervision(db, now, limit),
  ])
  return { overdueGrievances: overdue, awaitingAcceptance: awaiting, overdueProposals: proposals, overdueSupervision: supervision }
}

export interface ReportFigures {
  grievances: GrievanceFigures
  categories: CategoryCount[]
  proposals?: ProposalPart
  activities: ActivityFigures
  mediation: MediationFigures
  supervision: SupervisionFigures
  /** Care recorded on the period's local days (given `days`): counts and exact totals by kind. */
  care?: CareFigures
  learning: LearningFigures
  /** Polls and the congress's votes; absent when nothing was voted on in the period. */
  democracy?: DemocracyFigures
  /** 困难帮扶 on the period's local days (given `days`): counts and exact fen, never names (issue #17). */
  hardship?: HardshipFigures
  /** 厂务公开 notices (given `days`, for the opinions' local dates): counts and shares only (issue #15). */
  notices?: NoticeFigures
}

/**
 * The figures of a 月报 / 季报 over [from, to), with the proposal window as of the local date `today`; with `days`
 * (the period's first and the day after its last, local dates), the care recorded on those days too; learning's
 * dated records (imported hours, loans, reading check-ins) are read by their local dates in `timeZone`; mediation
 * days in calendar days of `mediation.timeZone`, supervision's overdue replies as of `now`; the congress's pass rule
 * (`passShare`, CONGRESS_PASS_SHARE) for the votes' results.
 */
export async function reportFigures(
  db: Db,
  q: { from: Date; to: Date; today: string; timeZone: string; now: Date; mediation: { periodDays: number; timeZone: string }; days?: { from: string; until: string }; passShare?: Share },
): Promise<ReportFigures> {
  const [grievances, categories, window, activities, mediation, supervision, care, learning, democracy, hardship, notices] = await Promise.all([
    grievanceFigures(db, q.from, q.to),
    grievancesByCategory(db, q.from, q.to),
    latestWindowCounts(db, q.today),
    activityFigures(db, q.from, q.to),
    mediationFigures(db, q.from, q.to, q.mediation),
    supervisionFigures(db, q.from, q.to, q.now),
    q.days ? careFigures(db, q.days.from, q.days.until) : Promise.resolve(undefined),
    learningFigures(db, q.from, q.to, q.timeZone),
    democracyFigures(db, q.from, q.to, q.passShare ?? { num: 1, den: 2 }),
    q.days ? hardshipFigures(db, q.days.from, q.days.until) : Promise.resolve(undefined),
    q.days ? noticeFigures(db, { from: q.from, to: q.to, fromDate: q.days.from, untilDate: q.days.until }) : Promise.resolve(undefined),
  ])
  const proposals = window ? { figures: await proposalFigures(db, q.from, q.to), window } : undefined
  return { grievances, categories, ...(proposals ? { proposals } : {}), activities, mediation, supervision, ...(care ? { care } : {}), learning, ...(democracy ? { democracy } : {}), ...(hardship ? { hardship } : {}), ...(notices ? { notices } : {}) }
}
