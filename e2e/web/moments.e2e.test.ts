import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffUser } from '../../packages/server/src/testing/factories.ts';
import { eventually, newClient } from '../support.ts';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import { drawPng } from './files-ui.ts';
import {
  composerTilesReady,
  localCommentDraft,
  openMoments,
  postWithText,
  pullDown,
  settledShot,
} from './moments-ui.ts';
import { befriendThroughUi, loginThroughUi, registerThroughUi, UI_TIMEOUT, type UiUser } from './ui.ts';

const SHOTS = process.env.ZX_MOMENTS_SHOTS ?? '/tmp/zx-moments-e2e';
const POST_TEXT = '周末团建的合影 https://zhixin.example/album';
const DRAFT_TEXT = '拍得真好，下次叫上我';

/**
 * Moments in the browser, end to end: 王丽 (desktop) posts a picture cropped to 1:1 to her
 * friends only; her friend 陈波 (phone) sees it with the picture, the stranger 赵强 does not. 陈波
 * starts a comment, reloads, finds his draft back, sends it (the draft is gone), and likes the
 * post; 王丽 finds both in her interactions list. Steps of one story.
 */
describe.skipIf(browserUnavailable)('web client: moments', () => {
  let server: WebServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let a: Page;
  let b: Page;
  let c: Page;
  let alice: UiUser;
  let bob: UiUser;
  let postId = '';

  const shot = (page: Page, name: string) => settledShot(page, `${SHOTS}/${name}.png`);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startWebServer();
    browser = await launchBrowser();
    const desk = await newContext(browser, server, 'desktop');
    const phone = await newContext(browser, server, 'phone');
    const other = await newContext(browser, server, 'desktop');
    contexts.push(desk, phone, other);
    [a, b, c] = await Promise.all([desk.newPage(), phone.newPage(), other.newPage()]);
    alice = await registerThroughUi(a, server, '王丽');
    bob = await registerThroughUi(b, server, '陈波');
    await registerThroughUi(c, server, '赵强');
    await befriendThroughUi(a, alice, b, bob);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((x) => x.close()));
    await browser?.close();
    await server?.app.close();
  });

  it('posts a picture cropped to 1:1 to friends only', async () => {
    await openMoments(a);
    await a.getByTestId('feed-empty').waitFor({ timeout: UI_TIMEOUT });
    await a.getByTestId('open-composer').click();
    await a.getByTestId('composer-text').fill(POST_TEXT);
    const png = await drawPng(a, 800, 600, '团建 合影');
    await a
      .getByTestId('composer-file-input')
      .setInputFiles({ name: '合影.png', mimeType: 'image/png', buffer: png });
    await composerTilesReady(a, 1);
    const firstUpload = await a.getByTestId('composer-tile').getAttribute('data-file-id');

    await a.getByTestId('tile-crop').click();
    await a.getByTestId('crop-canvas').waitFor({ timeout: UI_TIMEOUT });
    await a.getByTestId('crop-ratio-1:1').click();
    const box = a.getByTestId('crop-box');
    await expect.poll(() => box.getAttribute('data-width')).toBe('600');
    expect(await box.getAttribute('data-height')).toBe('600');
    await shot(a, 'desktop-composer-cropper');
    await a.getByTestId('crop-done').click();
    await a.getByTestId('cropper').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await composerTilesReady(a, 1);
    const cropped = await a.getByTestId('composer-tile').getAttribute('data-file-id');
    expect(cropped).toBeTruthy();
    expect(cropped).not.toBe(firstUpload);

    await a.getByTestId('visibility-friends').click();
    await a.getByTestId('composer-location').fill('北京·奥林匹克公园');
    await shot(a, 'desktop-composer');
    await a.getByTestId('composer-post').click();
    const card = postWithText(a, '周末团建的合影');
    await card.waitFor({ timeout: UI_TIMEOUT });
    await a.getByTestId('composer').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    postId = (await card.getAttribute('data-post-id')) ?? '';
    expect(await card.getByTestId('post-visibility').getAttribute('data-visibility')).toBe('friends');
    // The link in the text is a link; nothing else became markup.
    expect(await card.getByTestId('post-text').locator('a').getAttribute('href')).toBe(
      'https://zhixin.example/album',
    );

    // What the server stored is the cropped square.
    const info = await server.app.services.files.get(cropped ?? '');
    expect(info?.width).toBe(600);
    expect(info?.height).toBe(600);
    await card
      .getByTestId('post-image')
      .and(a.locator('[data-state="ready"]'))
      .waitFor({ timeout: UI_TIMEOUT });
    await shot(a, 'desktop-feed');
  });

  it('shows the post and its picture to the friend but not to a stranger', async () => {
    await openMoments(b);
    const card = postWithText(b, '周末团建的合影');
    await card.waitFor({ timeout: UI_TIMEOUT });
    expect(await card.getByTestId('post-visibility').count()).toBe(0);
    const thumb = card.getByTestId('post-image');
    await thumb.and(b.locator('[data-state="ready"]')).waitFor({ timeout: UI_TIMEOUT });
    await thumb.click();
    const full = b.getByTestId('moment-viewer-image');
    await full.waitFor({ timeout: UI_TIMEOUT });
    await expect
      .poll(() => full.evaluate((img: HTMLImageElement) => `${img.naturalWidth}x${img.naturalHeight}`), {
        timeout: UI_TIMEOUT,
      })
      .toBe('600x600');
    await b.getByTestId('moment-viewer-close').click();
    await shot(b, 'mobile-feed');

    await openMoments(c);
    await c.getByTestId('feed-empty').waitFor({ timeout: UI_TIMEOUT });
    await c.goto(`/moments/user/${alice.userId}`);
    await c.getByTestId('user-page').waitFor({ timeout: UI_TIMEOUT });
    await c.getByTestId('feed-empty').waitFor({ timeout: UI_TIMEOUT });
    expect(await c.getByTestId('post-card').count()).toBe(0);
    await c.goto(`/moments/post/${postId}`);
    await c.getByTestId('feed-error').or(c.getByTestId('feed-empty')).waitFor({ timeout: UI_TIMEOUT });
    expect(await c.getByTestId('post-card').count()).toBe(0);

    // Search finds it for the friend, not for the stranger.
    await c.goto('/moments/search?q=团建');
    await c.getByTestId('moments-search').getByTestId('feed-empty').waitFor({ timeout: UI_TIMEOUT });
    expect(await c.getByTestId('post-card').count()).toBe(0);
    await shot(c, 'desktop-search-stranger');
    await b.getByTestId('open-search').click();
    await b.getByTestId('search-input').locator('input').fill('团建 合影');
    await b.getByTestId('search-input').locator('input').press('Enter');
    await postWithText(b, '周末团建的合影').waitFor({ timeout: UI_TIMEOUT });
    await shot(b, 'mobile-search');
    await b.goBack();
  });

  it('keeps a comment draft across a reload and clears it once sent', async () => {
    const card = postWithText(b, '周末团建的合影');
    await card.getByTestId('post-comment-button').click();
    await card.getByTestId('comment-input').fill(DRAFT_TEXT);
    // Saved on the device at once, and on the account shortly after.
    expect(JSON.parse((await localCommentDraft(b, bob.userId, postId)) ?? '{}')).toMatchObject({
      content: { text: DRAFT_TEXT },
    });
    // …and on the account: another device of his gets it.
    const tablet = newClient(server, '陈波的平板');
    await tablet.auth.loginPassword(bob.phone, bob.password);
    const accountDraft = async () =>
      (await tablet.moments.drafts()).find((d) => d.kind === 'comment' && d.key === postId);
    await eventually(async () => expect((await accountDraft())?.content.text).toBe(DRAFT_TEXT), UI_TIMEOUT);

    await b.reload();
    const again = postWithText(b, '周末团建的合影');
    await again.waitFor({ timeout: UI_TIMEOUT });
    await expect
      .poll(() => again.getByTestId('comment-input').inputValue(), { timeout: UI_TIMEOUT })
      .toBe(DRAFT_TEXT);
    await shot(b, 'mobile-comment-draft-restored');
    await again.getByTestId('comment-send').click();
    await again.getByTestId('post-comment').filter({ hasText: DRAFT_TEXT }).waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => again.getByTestId('comment-box').count()).toBe(0);
    expect(await localCommentDraft(b, bob.userId, postId)).toBeNull();
    await shot(b, 'mobile-post-with-comments');

    // Gone from the account too: the other device has none, another reload brings nothing back.
    await eventually(async () => expect(await accountDraft()).toBeUndefined(), UI_TIMEOUT);
    await tablet.auth.logout();
    await b.reload();
    const after = postWithText(b, '周末团建的合影');
    await after.getByTestId('post-comment').filter({ hasText: DRAFT_TEXT }).waitFor({ timeout: UI_TIMEOUT });
    expect(await after.getByTestId('comment-box').count()).toBe(0);
  });

  it('puts a like and a comment into the author’s interactions list', async () => {
    const card = postWithText(b, '周末团建的合影');
    await card.getByTestId('post-like').click();
    await expect.poll(() => card.getByTestId('post-like').getAttribute('data-liked')).toBe('true');
    await card.getByTestId('post-likes').getByText('陈波').waitFor({ timeout: UI_TIMEOUT });

    await a.getByTestId('interactions-pill').waitFor({ timeout: UI_TIMEOUT });
    await shot(a, 'desktop-feed-with-interactions');
    await a.getByTestId('open-interactions').click();
    const list = a.getByTestId('interactions');
    await list.locator('[data-kind="like"]').waitFor({ timeout: UI_TIMEOUT });
    await list
      .locator('[data-kind="comment"]')
      .filter({ hasText: DRAFT_TEXT })
      .waitFor({ timeout: UI_TIMEOUT });
    await shot(a, 'desktop-interactions');
    // Opening the list marks it read: the badge goes.
    await expect.poll(() => a.getByTestId('moments-badge').locator('.ant-badge-count').count()).toBe(0);

    // 王丽 answers from another device of hers; 陈波 finds the reply in his list on the phone.
    const tablet = newClient(server, '王丽的平板');
    await tablet.auth.loginPassword(alice.phone, alice.password);
    const [his] = (await tablet.moments.comments(postId)).items;
    await tablet.moments.comment(postId, '谢谢，下次一定', his ? { replyToCommentId: his.id } : {});
    await tablet.auth.logout();
    await a.goto(`/moments/post/${postId}`);
    await postWithText(a, '周末团建的合影')
      .getByTestId('post-comment')
      .filter({ hasText: '谢谢，下次一定' })
      .waitFor({ timeout: UI_TIMEOUT });
    await shot(a, 'desktop-post-with-comments');
    await b.goto('/moments/interactions');
    await b
      .getByTestId('interactions')
      .locator('[data-kind="reply"]')
      .filter({ hasText: '谢谢，下次一定' })
      .waitFor({ timeout: UI_TIMEOUT });
    await shot(b, 'mobile-interactions');
  });

  it('shows a user page with the posts the viewer may see, and the mobile composer with its cropper', async () => {
    await a.goto(`/moments/user/${alice.userId}`);
    await postWithText(a, '周末团建的合影').waitFor({ timeout: UI_TIMEOUT });
    await a.getByTestId('change-cover').waitFor({ timeout: UI_TIMEOUT });
    await shot(a, 'desktop-user-page');

    await b.goto(`/moments/user/${alice.userId}`);
    await postWithText(b, '周末团建的合影').waitFor({ timeout: UI_TIMEOUT });
    expect(await b.getByTestId('change-cover').count()).toBe(0);
    await shot(b, 'mobile-user-page');

    await b.goto('/moments');
    await b.getByTestId('open-composer').click();
    const png = await drawPng(b, 600, 900, '手机 拍摄');
    await b
      .getByTestId('composer-file-input')
      .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
    await composerTilesReady(b, 1);
    await shot(b, 'mobile-composer');
    await b.getByTestId('tile-crop').click();
    await b.getByTestId('crop-canvas').waitFor({ timeout: UI_TIMEOUT });
    await b.getByTestId('crop-ratio-16:9').click();
    await b.getByTestId('crop-rotate').click();
    await shot(b, 'mobile-cropper');
    await b.getByTestId('crop-cancel').click();

    // The unsent post is a draft: after a reload the text and the uploaded picture are back.
    await b.getByTestId('composer-text').fill('周日爬山，有人一起吗');
    const uploaded = await b.getByTestId('composer-tile').getAttribute('data-file-id');
    const tablet = newClient(server, '陈波的平板');
    await tablet.auth.loginPassword(bob.phone, bob.password);
    await eventually(async () => {
      const drafts = await tablet.moments.drafts();
      expect(drafts.find((d) => d.kind === 'post')?.content).toMatchObject({
        text: '周日爬山，有人一起吗',
        fileIds: [uploaded],
      });
    }, UI_TIMEOUT);
    await tablet.auth.logout();
    await b.reload();
    await b.getByTestId('open-composer').click();
    await expect
      .poll(() => b.getByTestId('composer-text').inputValue(), { timeout: UI_TIMEOUT })
      .toBe('周日爬山，有人一起吗');
    await composerTilesReady(b, 1);
    expect(await b.getByTestId('composer-tile').getAttribute('data-file-id')).toBe(uploaded);
    await b.getByTestId('composer-cancel').click();
  });

  it('tells the friend about a new post and loads it from the indicator', async () => {
    await b.goto('/moments');
    await postWithText(b, '周末团建的合影').waitFor({ timeout: UI_TIMEOUT });
    await a.goto('/moments');
    await a.getByTestId('open-composer').click();
    await a.getByTestId('composer-text').fill('下周一例会改到三楼会议室');
    await a.getByTestId('composer-post').click();
    await postWithText(a, '下周一例会').waitFor({ timeout: UI_TIMEOUT });

    const indicator = b.getByTestId('new-posts');
    await indicator.waitFor({ timeout: UI_TIMEOUT });
    expect(await indicator.textContent()).toContain('1 条新动态');
    await shot(b, 'mobile-new-posts');
    await indicator.click();
    await postWithText(b, '下周一例会').waitFor({ timeout: UI_TIMEOUT });
    await indicator.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  });

  it('lets an operator remove a reported post', async () => {
    const card = postWithText(b, '周末团建的合影');
    await card.getByTestId('post-menu').click();
    await b.getByTestId('post-report').click();
    await b.getByTestId('report-reason').fill('含有内部场地照片');
    await b.locator('#report-submit').click();
    await b.getByTestId('report-reason').waitFor({ state: 'detached', timeout: UI_TIMEOUT });

    const operator = await staffUser(server.app, 'operator');
    const ops = await newContext(browser, server, 'desktop');
    contexts.push(ops);
    const o = await ops.newPage();
    await loginThroughUi(o, operator);
    await o.goto('/admin/moments');
    await o.getByTestId('admin-moments').waitFor({ timeout: UI_TIMEOUT });
    const row = o.locator('tr').filter({ hasText: '含有内部场地照片' });
    await row.waitFor({ timeout: UI_TIMEOUT });
    await row.getByTestId('report-view').click();
    await o.getByTestId('reported-post').getByText('周末团建的合影').waitFor({ timeout: UI_TIMEOUT });
    // Let the drawer finish sliding in before the picture is taken.
    await o
      .locator('.ant-drawer-content-wrapper')
      .evaluate((el) => Promise.all(el.getAnimations().map((x) => x.finished)));
    await shot(o, 'desktop-admin-report');
    const opsPhone = await newContext(browser, server, 'phone');
    contexts.push(opsPhone);
    const op = await opsPhone.newPage();
    await loginThroughUi(op, operator);
    await op.goto('/admin/moments');
    await op.locator('tr').filter({ hasText: '含有内部场地照片' }).waitFor({ timeout: UI_TIMEOUT });
    await shot(op, 'mobile-admin-reports');
    await o.keyboard.press('Escape');
    await row.getByTestId('report-remove').click();
    await o.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await row.waitFor({ state: 'detached', timeout: UI_TIMEOUT });

    // Gone for everyone; the author is told.
    await a.goto('/moments/interactions');
    await a.getByTestId('interactions').locator('[data-kind="removed"]').waitFor({ timeout: UI_TIMEOUT });
    await a.goto('/moments');
    await postWithText(a, '下周一例会').waitFor({ timeout: UI_TIMEOUT });
    expect(await postWithText(a, '周末团建的合影').count()).toBe(0);
  });

  it('loads older posts on scrolling, jumps to the top on a double click of the title, refreshes on a pull', async () => {
    const tablet = newClient(server, '王丽的平板');
    await tablet.auth.loginPassword(alice.phone, alice.password);
    for (let i = 0; i < 45; i++)
      await tablet.moments.create({ text: `训练日志 ${i}`, visibility: 'friends' });
    await b.goto('/moments');
    const cards = b.getByTestId('post-card');
    await postWithText(b, '训练日志 44').waitFor({ timeout: UI_TIMEOUT });
    expect(await cards.count()).toBe(20);
    const scroller = b.locator('.zx-mo-m-scroll');
    const end = b.getByTestId('feed-end');
    await expect
      .poll(
        async () => {
          await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
          return end.textContent();
        },
        { timeout: UI_TIMEOUT },
      )
      .toBe('没有更多了');
    expect(await cards.count()).toBe(46);
    await postWithText(b, '训练日志 0').waitFor({ timeout: UI_TIMEOUT });

    await b.getByTestId('moments-title').dblclick();
    await expect.poll(() => scroller.evaluate((el) => el.scrollTop), { timeout: UI_TIMEOUT }).toBe(0);

    // A post the list has not loaded; the pull brings it without the new-posts indicator.
    await tablet.moments.create({ text: '下拉刷新就能看到', visibility: 'friends' });
    await tablet.auth.logout();
    await pullDown(b, scroller);
    await postWithText(b, '下拉刷新就能看到').waitFor({ timeout: UI_TIMEOUT });
  });

  it('changes who sees a post and deletes it from the post itself; sets a cover others see', async () => {
    await a.goto('/moments');
    await a.getByTestId('open-composer').click();
    await a.getByTestId('composer-text').fill('周五下午体能测试');
    await a.getByTestId('visibility-friends').click();
    await a.getByTestId('composer-post').click();
    const card = postWithText(a, '周五下午体能测试');
    await card.waitFor({ timeout: UI_TIMEOUT });
    await b.goto('/moments');
    await postWithText(b, '周五下午体能测试').waitFor({ timeout: UI_TIMEOUT });

    await card.getByTestId('post-visibility').click();
    await a.getByTestId('set-visibility-self').click();
    await expect.poll(() => card.getByTestId('post-visibility').getAttribute('data-visibility')).toBe('self');
    await b.reload();
    await postWithText(b, '下拉刷新就能看到').waitFor({ timeout: UI_TIMEOUT });
    expect(await postWithText(b, '周五下午体能测试').count()).toBe(0);

    await card.getByTestId('post-menu').click();
    await a.getByTestId('post-delete').click();
    await a.locator('.ant-modal-confirm-btns .ant-btn-dangerous').click();
    await card.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await a.reload();
    await postWithText(a, '下拉刷新就能看到').waitFor({ timeout: UI_TIMEOUT });
    expect(await postWithText(a, '周五下午体能测试').count()).toBe(0);

    await a.goto(`/moments/user/${alice.userId}`);
    const cover = await drawPng(a, 1200, 480, '我的封面');
    await a
      .getByTestId('cover-input')
      .setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: cover });
    // The cover is cropped first, as any picture.
    await a.getByTestId('crop-canvas').waitFor({ timeout: UI_TIMEOUT });
    await a.getByTestId('crop-ratio-16:9').click();
    await a.getByTestId('crop-done').click();
    await a
      .getByTestId('user-cover')
      .locator('img')
      .waitFor({ timeout: UI_TIMEOUT * 2 });
    await b.goto(`/moments/user/${alice.userId}`);
    await b.getByTestId('user-cover').locator('img').waitFor({ timeout: UI_TIMEOUT });
    await shot(b, 'mobile-user-page-cover');
  });
});
