import { afterAll, it } from 'vitest';
import { launchBrowser, newContext, startWebServer } from '/work/main/e2e/web/browser.ts';
import { loginThroughUi } from '/work/main/e2e/web/ui.ts';
import { newClient, signUp } from '/work/main/e2e/support.ts';

const OUT = '/tmp/shots-friends';
let close: (() => Promise<void>) | null = null;
afterAll(async () => close?.());

it('screenshots', async () => {
  const server = await startWebServer();
  const browser = await launchBrowser();
  close = async () => {
    await browser.close();
    await server.app.close();
  };
  const people = [];
  for (const name of ['王丽', '陈波', '赵敏', '刘洋']) {
    const client = newClient(server, name);
    const user = await signUp(server, client, name);
    people.push({ client, user, name });
  }
  const [me, chen, zhao, liu] = people as [typeof people[0], typeof people[0], typeof people[0], typeof people[0]];
  await me.client.users.setAccount('wangli_pm');
  await chen.client.users.setAccount('chenbo_fe');
  await chen.client.friends.request(me.user.userId, '你好，我是前端的陈波，项目群里见过');
  await zhao.client.friends.request(me.user.userId, '王丽你好，销售部赵敏');
  const sent = await me.client.friends.request(liu.user.userId, '我是王丽', '测试刘洋');
  await liu.client.friends.accept(sent.request!.id);
  await me.client.friends.block(zhao.user.userId);
  const phone = me.user.phone.replace(/^\+86/, '');
  for (const device of ['desktop', 'phone'] as const) {
    const ctx = await newContext(browser, server, device);
    const page = await ctx.newPage();
    await loginThroughUi(page, { phone, password: me.user.password });
    const shot = async (name: string) => {
      await page.waitForTimeout(600);
      await page.screenshot({ path: `${OUT}/${device}-${name}.png` });
    };
    await page.goto('/contacts');
    await page.getByTestId('friend-requests').waitFor();
    await shot('contacts');
    await page.goto('/contacts/requests');
    await page.getByTestId('friend-request-item').first().waitFor();
    await shot('requests');
    await page.getByTestId('friend-request-accept').first().click();
    await page.getByTestId('friend-request-remark').fill('小陈');
    await shot('accept');
    await page.keyboard.press('Escape');
    await page.goto(`/contacts/${chen.user.userId}`);
    await page.getByTestId('profile-page').waitFor();
    await shot('profile-requester');
    await page.goto('/contacts/add');
    await page.getByTestId('contact-add-phone').fill('chenbo_fe');
    await page.getByTestId('contact-add-search').click();
    await page.getByTestId('contact-add-result').waitFor();
    await shot('add');
    await page.goto(`/contacts/${zhao.user.userId}`);
    await page.getByTestId('unblock-user').waitFor();
    await shot('profile-blocked');
    const base = device === 'desktop' ? '/settings' : '/me';
    await page.goto(`${base}/privacy`);
    await page.getByTestId('privacy-findable-phone').waitFor();
    await shot('privacy');
    await page.goto(`${base}/blocked`);
    await page.getByTestId('blocked-item').first().waitFor();
    await shot('blocked');
    await page.goto(`${base}/profile`);
    await page.getByTestId('profile-edit-account').waitFor();
    await shot('settings-profile');
    await ctx.close();
  }
}, 300_000);
