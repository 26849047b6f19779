// What a digest or report shows, gathered from the features that own the figures (src/<feature>/figures.ts): the
// digest queries no feature's tables itself, so a new feature contributes its figures here and nowhere else.
import type { Db } from '../db/schema.js'
import { activityFigures, upcomingActivities } from '../activities/figures.js'
import { democracyFigures } from '../polls/figures.js'
import type { DemocracyFigures, Share } from '../polls/model.js'
import type { ActivityFigures, UpcomingActivity } from '../activities/model.js'
import { casesAwaitingAcceptance, grievanceFigures, grievancesByCategory, grievancesPerBucket, overdueGrievances } from '../grievances/figures.js'
import type { GrievanceFigures, OpenCase } from '../grievances/model.js'
import { latestWindowCounts, overdueProposalList, proposalFigures } from '../proposals/figures.js'
import type { OverdueProposal, ProposalFigures, WindowStatusCounts } from '../proposals/model.js'
import type { CategoryCount } from './model.js'

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
}

/**
 * The figures of a weekly or daily digest: the period [from, to), chart buckets between `bounds`, the proposal
 * window as of the local date `today`, and up to `upcoming.limit` open activities starting in [upcoming.from, upcoming.until).
 */
export async function digestFigures(
  db: Db,
  q: { from: Date; to: Date; bounds: readonly Date[]; today: string; upcoming: { from: Date; until: Date; limit: number } },
): Promise<DigestFigures> {
  const [grievances, categories, buckets, window, upcoming] = await Promise.all([
    grievanceFigures(db, q.from, q.to),
    grievancesByCategory(db, q.from, q.to),
    grievancesPerBucket(db, q.bounds),
    latestWindowCounts(db, q.today),
    upcomingActivities(db, q.upcoming.from, q.upcoming.until, q.upcoming.limit),
  ])
  const proposals = window ? { figures: await proposalFigures(db, q.from, q.to), window } : undefined
  return { grievances, categories, buckets, ...(proposals ? { proposals } : {}), upcoming }
}

export interface CommitteeFigures {
  overdueGrievances: { items: OpenCase[]; total: number }
  awaitingAcceptance: { items: OpenCase[]; total: number }
  overdueProposals: { items: OverdueProposal[]; total: number }
}

/** The committee's lists as they stand at `now` (proposal due dates compare with the local date `today`). */
export async function committeeFigures(db: Db, now: Date, today: string, limit: number): Promise<CommitteeFigures> {
  const [overdue, awaiting, proposals] = await Promise.all([overdueGrievances(db, now, limit), casesAwaitingAcceptance(db, now, limit), overdueProposalList(db, today, limit)])
  return { overdueGrievances: overdue, awaitingAcceptance: awaiting, overdueProposals: proposals }
}

export interface ReportFigures {
  grievances: GrievanceFigures
  categories: CategoryCount[]
  proposals?: ProposalPart
  activities: ActivityFigures
  /** Polls and the congress's votes; absent when nothing was voted on in the period. */
  democracy?: DemocracyFigures
}

/** The figures of a 月报 / 季报 over [from, to), with the proposal window as of the local date `today`. */
export async function reportFigures(db: Db, q: { from: Date; to: Date; today: string; passShare?: Share }): Promise<ReportFigures> {
  const [grievances, categories, window, activities, democracy] = await Promise.all([
    grievanceFigures(db, q.from, q.to),
    grievancesByCategory(db, q.from, q.to),
    latestWindowCounts(db, q.today),
    activityFigures(db, q.from, q.to),
    democracyFigures(db, q.from, q.to, q.passShare ?? { num: 1, den: 2 }),
  ])
  const proposals = window ? { figures: await proposalFigures(db, q.from, q.to), window } : undefined
  return { grievances, categories, ...(proposals ? { proposals } : {}), activities, ...(democracy ? { democracy } : {}) }
}
