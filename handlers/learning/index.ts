// The learning organisation (issue #17, 学习型组织): learning hours (activities that carry them, the import of outside
// training, 我的学时, 学时 统计) and the 职工书屋 (书屋, 借阅, 归还, 读书打卡, the return reminder).
import type { BotRouter } from '../../src/dispatch/router.js'
import { registerHours } from './hours.js'
import { registerLearningImports } from './imports.js'
import { registerLibrary } from './library.js'

export function registerLearning(router: BotRouter): void {
  registerLearningImports(router)
  registerHours(router)
  registerLibrary(router)
}
