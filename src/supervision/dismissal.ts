// Dismissal notices (issue #16): before the employer ends a labour contract unilaterally it must notify the union of
// the reasons; the union may object and the employer must study its opinion and notify the union of the result in
// writing (《劳动合同法》第四十三条; 《工会法》第二十二条第二款). Numbers `D-YYYY-NNN`, statuses and their transitions,
// the statutory grounds, the union's opinion and the reported result. Pure: handlers, cards and figures share it.
import { yearlyNumbers } from '../kit/numbers.js'
import type { TransitionTable } from '../kit/transition.js'

/** Dismissal notices `D-2026-001`, per year of submission. */
export const DISMISSAL_NUMBER = yearlyNumbers({ prefix: 'D', digits: 3, maxDigits: 6 })

/** The law the cards cite. */
export const DISMISSAL_LAW = '《劳动合同法》第四十三条、《工会法》第二十二条第二款'

export type DismissalStatus = 'awaiting_opinion' | 'opinion_given' | 'closed'
export const DISMISSAL_STATUS_LABEL: Record<DismissalStatus, string> = { awaiting_opinion: '待工会提出意见', opinion_given: '工会已提出意见，待报告结果', closed: '已书面报告结果' }

/**
 * HR submits (待工会提出意见); the union answers 同意 or 有异议 with its opinion (→ 工会已提出意见); HR reports the
 * result in writing (→ closed). HR may report a result the union has not answered yet (the statute does not make the
 * employer wait for ever); the record then shows that no opinion was given.
 */
export const DISMISSAL_TRANSITIONS: TransitionTable<DismissalStatus> = {
  awaiting_opinion: ['opinion_given', 'closed'],
  opinion_given: ['closed'],
  closed: [],
}

/** The statutory ground the employer relies on (《劳动合同法》第三十九条、第四十条、第四十一条). */
export const DISMISSAL_GROUNDS = ['art39', 'art40', 'art41', 'other'] as const
export type DismissalGround = (typeof DISMISSAL_GROUNDS)[number]
export const DISMISSAL_GROUND_LABEL: Record<DismissalGround, string> = {
  art39: '第三十九条（劳动者过错，如严重违反规章制度）',
  art40: '第四十条（不能胜任、医疗期满、客观情况变化，提前三十日通知或额外支付一个月工资）',
  art41: '第四十一条（经济性裁员）',
  other: '其他（请在理由中写明依据）',
}

export type DismissalOpinion = 'agree' | 'object'
export const DISMISSAL_OPINION_LABEL: Record<DismissalOpinion, string> = { agree: '同意', object: '有异议' }

export const DISMISSAL_RESULTS = ['dismissed', 'withdrawn', 'changed'] as const
export type DismissalResult = (typeof DISMISSAL_RESULTS)[number]
export const DISMISSAL_RESULT_LABEL: Record<DismissalResult, string> = { dismissed: '已解除', withdrawn: '撤销（不再解除）', changed: '变更（调岗、改为协商解除等）' }

export type DismissalEventKind = 'submitted' | 'agreed' | 'objected' | 'reported' | 'reminded'

export const DISMISSAL_TEXT_MAX_CHARS = 1000
export const DISMISSAL_REASONS_MIN_CHARS = 10
export const WORKER_NAME_MAX_CHARS = 50

/** The figures 月报 / 季报 show beside supervision (counts only). */
export interface DismissalFigures {
  submitted: number
  opinions: number
  objections: number
  results: number
}
