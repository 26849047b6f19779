// Who is who in the union (issue #20): officers' roles, the special committees, and the views their cards show.

export const OFFICER_ROLES = ['chair', 'vice_chair', 'member'] as const
export type OfficerRole = (typeof OFFICER_ROLES)[number]

export const OFFICER_ROLE_LABEL: Record<OfficerRole, string> = { chair: '主席', vice_chair: '副主席', member: '委员' }

/** The word typed after `干部 添加 @…` (主席 / 副主席 / 委员, or the English), undefined for anything else. */
export function parseOfficerRole(word: string): OfficerRole | undefined {
  const w = word.trim().toLowerCase()
  if (['主席', '工会主席', 'chair'].includes(w)) return 'chair'
  if (['副主席', '工会副主席', 'vice_chair', 'vice-chair', 'vicechair'].includes(w)) return 'vice_chair'
  if (['委员', '工会委员', 'member'].includes(w)) return 'member'
  return undefined
}

/** Roles of the router (CommandSpec.roles): 主席 or 副主席, and the chair alone (bootstrap officers until a chair exists). */
export const ROLE_UNION_ADMIN = 'union_admin'
export const ROLE_UNION_CHAIR = 'union_chair'

/** The special committees a union usually has (others may be named too). */
export const KNOWN_COMMITTEES = ['女职工委员会', '劳动争议调解委员会', '经费审查委员会', '提案工作委员会'] as const
/** The role a committee's membership gives, e.g. `committee:劳动争议调解委员会` (router.role). */
export const committeeRole = (name: string): string => `committee:${name}`
export const COMMITTEE_NAME_MAX = 30
/** Longest department name (also 选区 and 届次). */
export const DEPARTMENT_NAME_MAX = 30
/** Every committee name ends so (女职工委员会 …); a typed name without it is refused rather than guessed. */
export const COMMITTEE_SUFFIX = '委员会'

/** A committee name as typed: trimmed; undefined when it does not look like one. */
export function parseCommitteeName(text: string): string | undefined {
  const name = text.trim()
  if (!name.endsWith(COMMITTEE_SUFFIX) || name === COMMITTEE_SUFFIX) return undefined
  if (Array.from(name).length > COMMITTEE_NAME_MAX || /[\s@<>[\]*`#]/.test(name)) return undefined
  return name
}

/**
 * The committee a typed name is probably a slip for (女工委员会 → 女职工委员会, 经审委员会 → 经费审查委员会), among
 * `names` (the known ones and those in use); undefined when the name is one of them or close to none (QA F16).
 * Close: the part before 委员会 differs by one character, or its characters all appear, in order, in the other's.
 */
export function closeCommitteeName(name: string, names: readonly string[]): string | undefined {
  if (names.includes(name)) return undefined
  const core = (n: string) => Array.from(n.slice(0, -COMMITTEE_SUFFIX.length))
  const typed = core(name)
  if (typed.length < 2) return undefined
  const within = (a: string[], b: string[]) => {
    let i = 0
    for (const c of b) if (c === a[i]) i++
    return i === a.length
  }
  const oneApart = (a: string[], b: string[]) => {
    if (Math.abs(a.length - b.length) > 1) return false
    let i = 0
    while (i < a.length && i < b.length && a[i] === b[i]) i++
    let j = 0
    while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++
    return a.length - i - j <= 1 && b.length - i - j <= 1
  }
  return names.find((n) => oneApart(typed, core(n))) ?? names.find((n) => core(n).length > typed.length && within(typed, core(n)))
}

/** Setup codes: eight digits when generated; a configured UNION_SETUP_CODE may be any 6–64 visible characters. */
export const GENERATED_SETUP_CODE_DIGITS = 8

export interface Person {
  openId: string
  name: string
}

export interface OfficerView extends Person {
  role: OfficerRole
  addedAt: Date | undefined
  /** Listed in UNION_OFFICER_OPEN_IDS rather than added in chat. */
  configured: boolean
}

export interface OfficerListView {
  officers: OfficerView[]
  /** Whether a chair has been set in chat (else the configured officers hold the set-up rights). */
  chairSet: boolean
  committeeChatSet: boolean
  timeZone: string
}

export interface CommitteeView {
  name: string
  members: Person[]
}

export interface RosterChange {
  title: string
  /** Label, names (bot-written labels; names are user text). */
  lines: Array<[string, string[]]>
  note?: string
}
