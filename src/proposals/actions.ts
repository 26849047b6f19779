// The proposals' card actions and their payloads, shared by the cards that draw the buttons and the handlers.
import { z } from 'zod'
import { defineAction, payload } from '../kit/actions.js'
import { SATISFACTIONS, toSatisfaction, type Satisfaction } from '../kit/satisfaction.js'
import { findNumber } from './model.js'

/** A proposal number as the card wrote it (P-2026-003); read leniently, like a typed one. */
const number = payload.text(40).refine((v) => findNumber(v) !== undefined).transform((v) => findNumber(v)!.number)
const onProposal = z.object({ number })

export const REGISTER = defineAction('proposal.register', onProposal)
export const REJECT = defineAction('proposal.reject', onProposal)
export const ASSIGN = defineAction('proposal.assign', onProposal)
export const REFRESH = defineAction('proposal.committee.refresh', onProposal)
/** 催办 (issue #13): an officer reminds the department of an overdue proposal, on the committee's card. */
export const URGE = defineAction('proposal.urge', onProposal)
export const ANSWER = defineAction('proposal.answer', onProposal)
/** The proposer's rating of one round of answers (the round changes when 不满意 sends it back). */
// Buttons posted before migration 0009 still carry basic/unsatisfied: read them as the one vocabulary's words.
export const RATE = defineAction(
  'proposal.rate',
  z.object({
    number,
    round: payload.int(),
    satisfaction: payload.oneOf([...SATISFACTIONS, 'basic', 'unsatisfied']).transform((v): Satisfaction => toSatisfaction(v)!),
  }),
)
export const COSIGN = defineAction('proposal.cosign', onProposal)
export const FOLLOW = defineAction('proposal.follow', onProposal)
/** Pages of 提案列表 (a window and an optional status filter) and of 我的提案. */
export const LIST_PAGE = defineAction('proposal.list.page', z.object({ window: payload.int().optional(), filter: payload.text(20).optional(), page: payload.int() }))
export const MINE_PAGE = defineAction('proposal.mine.page', z.object({ page: payload.int() }))
