// The bot menu (application.bot.menu_v6, configured in the Feishu console): each item's event_key and the command it
// runs, as if typed in private chat. README (Feishu app setup → bot menu) lists the same keys; keep the two together.
// The console limits a key to 30 characters (REFERENCE §8); a key not listed here is run as typed (a console set up
// with command words as keys, e.g. "帮助", keeps working).

/** event_key → the command word it runs. */
export const BOT_MENU_KEYS: Readonly<Record<string, string>> = {
  grievance: '投诉',
  my_grievances: '我的诉求',
  activities: '活动',
  my_activities: '我的活动',
  proposals: '提案列表',
  membership: '我的会籍',
  contact: '联系工会',
  help: '帮助',
  todo: '待办',
}

/** What a menu press says for the person: the key's command word, or the key itself. */
export function menuWord(eventKey: string): string {
  return Object.hasOwn(BOT_MENU_KEYS, eventKey) ? BOT_MENU_KEYS[eventKey]! : eventKey
}
