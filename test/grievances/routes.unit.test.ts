// GRIEVANCE_ROUTES (issue #13): `类别=委员会` pairs; a typo is refused at start rather than routing nothing.
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.js'
import { parseGrievanceRoutes } from '../../src/grievances/model.js'

describe('GRIEVANCE_ROUTES', () => {
  it('reads pairs separated by ; or , (full-width too)', () => {
    const r = parseGrievanceRoutes('职场欺凌与骚扰=女职工委员会；劳动合同与解除＝劳动争议调解委员会')
    expect('routes' in r && [...r.routes]).toEqual([
      ['职场欺凌与骚扰', '女职工委员会'],
      ['劳动合同与解除', '劳动争议调解委员会'],
    ])
    const none = parseGrievanceRoutes('')
    expect('routes' in none && none.routes.size).toBe(0)
  })

  it.each([['女职工权益=女职工委员会'], ['职场欺凌与骚扰=女职工'], ['职场欺凌与骚扰'], ['a=b=c']])('refuses %s', (text) => {
    expect('error' in parseGrievanceRoutes(text)).toBe(true)
    expect(() => loadConfig({ GRIEVANCE_ROUTES: text })).toThrow(ConfigError)
  })

  it('is empty by default', () => {
    expect(loadConfig({}).grievance.routes.size).toBe(0)
  })
})
