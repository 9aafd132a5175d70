import type { ZhixinClient } from '@zhixin/sdk';
import { newClient, signUp } from '../support.ts';
import type { WebServer } from './browser.ts';

export interface Person {
  client: ZhixinClient;
  userId: string;
  nickname: string;
  /** 11 digits, as typed on the sign-in screen. */
  phone: string;
  password: string;
}

export interface Office {
  /** Whose screens the screenshots show. */
  me: Person;
  colleagues: Person[];
  groupId: string;
  /** The direct chat of `me` with the first colleague: replies, reactions, an edit and a recall. */
  chatId: string;
}

async function person(server: WebServer, nickname: string, signature: string): Promise<Person> {
  const client = newClient(server, `${nickname} 的电脑`);
  const user = await signUp(server, client, nickname);
  await client.connect();
  await client.users.updateMe({ signature });
  return {
    client,
    userId: user.userId,
    nickname,
    phone: user.phone.replace(/^\+86/, ''),
    password: user.password,
  };
}

/** `from` asks `to` to be friends (with `from`'s remark for `to`), and `to` accepts. */
async function befriend(from: Person, to: Person, remark?: string): Promise<void> {
  const sent = await from.client.friends.request(to.userId, `我是${from.nickname}`, remark);
  if (sent.outcome === 'pending' && sent.request) await to.client.friends.accept(sent.request.id);
}

/**
 * A small office, built through the SDK as real clients would: four colleagues, contacts with
 * remarks, a project group, a direct chat with replies, reactions, an edit and a recall, and a
 * draft left in another chat.
 */
export async function seedOffice(server: WebServer): Promise<Office> {
  const me = await person(server, '王丽', '产品经理 · 北京');
  const chen = await person(server, '陈波', '前端开发');
  const zhao = await person(server, '赵敏', '销售总监');
  const liu = await person(server, '刘洋', '测试工程师');
  const colleagues = [chen, zhao, liu];

  await befriend(me, chen, '陈波（前端）');
  await befriend(me, zhao, '赵总');
  await befriend(me, liu);

  const group = await me.client.conversations.createGroup(
    '产品周会',
    colleagues.map((c) => c.userId),
  );
  await me.client.messages.sendText(group.id, '大家好，周五下午三点开周会，请提前准备进度。');
  await zhao.client.messages.sendText(group.id, '收到，我会带上客户反馈。');
  const mention = await liu.client.messages.sendText(group.id, '@王丽 测试报告已经上传了', {
    mentions: [me.userId],
  });
  await me.client.messages.react(group.id, mention.seq, '👍');

  const chat = await me.client.conversations.openDirect(chen.userId);
  await chen.client.messages.sendText(chat.id, '王丽，登录页的新设计稿好了吗？');
  const ask = await me.client.messages.sendText(chat.id, '好了，我刚发到群里了，你看一下。');
  await chen.client.messages.sendText(chat.id, '看到了，配色很清爽 👍', { replyToSeq: ask.seq });
  await chen.client.messages.react(chat.id, ask.seq, '❤️');
  await chen.client.messages.markRead(chat.id, ask.seq);
  const typo = await me.client.messages.sendText(chat.id, '下周一前能完成开发吗');
  await me.client.messages.edit(chat.id, typo.seq, '下周一前能完成开发吗？');
  const wrong = await me.client.messages.sendText(chat.id, '这条消息发错人了');
  await me.client.messages.recall(chat.id, wrong.seq);
  const answer = await chen.client.messages.sendText(chat.id, '没问题，周一上午提测。');
  await me.client.messages.markRead(chat.id, answer.seq);
  await chen.client.messages.sendText(chat.id, '对了，图标要不要换成蓝色的？');

  const zhaoChat = await me.client.conversations.openDirect(zhao.userId);
  await zhao.client.messages.sendText(zhaoChat.id, '下午有空的话来一趟我办公室。');
  await me.client.conversations.saveDraft(zhaoChat.id, '好的，我三点以后过去');

  const self = await me.client.conversations.openDirect(me.userId);
  await me.client.messages.sendText(self.id, '季度规划.pdf 已保存');

  return { me, colleagues, groupId: group.id, chatId: chat.id };
}

export async function closeOffice(office: Office): Promise<void> {
  await Promise.all([office.me, ...office.colleagues].map((p) => p.client.close()));
}
