// The bot's shared answers (unknown command, refusals, stale buttons, conversation notes): the dispatcher and the
// handlers say these in the same words, so they live here and not in any one of them.
export const MESSAGES = {
  unknown: '抱歉，我没有听懂。发送「帮助」查看我能做什么。',
  stateDown: '抱歉，会话服务暂时不可用，多步骤的办理（如提交诉求、提案）暂时无法进行，请稍后再试。其他查询不受影响。',
  failed: '抱歉，处理您的消息时出错了，我们已记录，请稍后再试。',
  denied: '抱歉，只有工会干部可以使用此功能。',
  actionDenied: '抱歉，只有工会干部可以进行此操作。',
  actionUnknown: '该按钮已失效，请重新发起操作。',
  /** A button whose subject is gone, with where to look instead (e.g. 请发送「活动」查看最新的活动。). */
  actionGone: (whereNow: string) => `该按钮已失效，${whereNow}`,
  actionFailed: '操作失败，请稍后重试。',
  stepGone: '此步骤已结束，请按最新一条消息操作。',
  busy: '系统正忙，请稍后再试。',
  cancelled: (title: string) => `已取消「${title}」，填写的内容没有保存。`,
  kept: (title: string) => `您之前的「${title}」已超时，刚才的内容已为您保留。`,
  nothingToCancel: '您现在没有正在办理的事项，不需要取消。想办什么，直接告诉我，或发送「帮助」查看。',
  paused: (title: string) => `您的「${title}」还没有完成，已为您保存。发送「继续」或点按钮可以接着办理。`,
  resumed: (title: string) => `已回到「${title}」，请接着刚才的步骤办理。`,
  otherActive: (title: string) => `您正在办理「${title}」。请先完成或发送「取消」结束它，再继续之前保存的内容。`,
  nothingToResume: '没有需要继续的事项：保存的内容已办完、已放弃或已过期。想办什么，直接告诉我，或发送「帮助」查看。',
  draftGone: '保留的内容已过期或已处理，请重新开始。',
  draftDiscarded: '已放弃保留的内容。',
  expired: (title: string) => `您之前的「${title}」因长时间未回复已自动结束，内容没有提交。如需继续，请重新开始。`,
} as const
