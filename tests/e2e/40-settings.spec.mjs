// Settings screens in a real browser: the boss creates a second store and a
// pre-sales user limited to qinghe, who signs in and sees only qinghe; the
// boss disables that user and the user's next call is 401; pre-sales is refused
// the users screen; a policy number out of bounds shows the API's message under
// the field, a valid one saves a new version; English relabels menu and policy.
// Every step is checked against the API, not only against what the page shows.

/** A screenshot once Element Plus's transitions (dialogs, messages) have run. */
async function shot(ctx, page, name) {
  await page.waitForTimeout(400)
  await ctx.shot(page, name)
}

/** Element Plus puts an el-input's attributes on the <input> itself. */
const inp = (page, test) => page.locator(`input[data-test="${test}"], [data-test="${test}"] input`).first()

async function pickOption(page, selectTest, optionTest) {
  await page.locator(`[data-test=${selectTest}]`).click()
  const opt = page.locator(`.el-select-dropdown__item[data-test="${optionTest}"]:visible`)
  await opt.waitFor()
  await opt.click()
  // the choice is taken once the item is marked selected: pressing Enter in the
  // form before that (a busy machine) submits it without the choice
  await page.locator(`.el-select-dropdown__item.is-selected[data-test="${optionTest}"]`)
    .first().waitFor({ state: 'attached' })
}

const NEW_USER = 'e2epresale'
// the harness's ctx.api(user) signs in with <user>-demo-2026
const NEW_PASSWORD = `${NEW_USER}-demo-2026`
const state = {}

export default [
  {
    name: 'boss creates a store, and edits it with its version (stale edit is refused)',
    async run(ctx) {
      const boss = await ctx.api('boss')
      const page = await ctx.page('boss')
      await page.goto(ctx.base + '/settings/stores')
      await page.locator('[data-test="store-row-qinghe"]').waitFor()
      await shot(ctx, page, 'settings-stores')

      await page.locator('[data-test=store-add]').click()
      await inp(page, 'store-code').fill('north')
      await inp(page, 'store-name').fill('北方分店')
      await pickOption(page, 'store-platform', 'platform-jd')
      await shot(ctx, page, 'settings-store-create')
      await inp(page, 'store-name').press('Enter')
      await page.locator('[data-test="store-row-north"]').waitFor()
      const north = (await boss('GET', '/stores/north')).json.store
      ctx.eq([north.name, north.platform, north.active], ['北方分店', 'jd', true], 'the store as created')

      // someone else renames it meanwhile: the page's version is stale
      ctx.eq((await boss('PATCH', '/stores/north', { version: north.version, name: '北方店' })).status, 200, 'API rename')
      await page.locator('[data-test="store-edit-north"]').click()
      await inp(page, 'store-name').fill('北方分店 2')
      await page.locator('[data-test=store-save]').click()
      const box = page.locator('.el-message-box')
      await box.waitFor()
      ctx.assert(/他人修改/.test(await box.innerText()), 'the 409 is told: ' + (await box.innerText()))
      await box.locator('.el-button--primary').click()
      await page.locator('[data-test=stores-table]').getByText('北方店', { exact: true }).waitFor()

      // the reloaded row saves
      await page.locator('[data-test="store-edit-north"]').click()
      await inp(page, 'store-name').fill('北方分店')
      await page.locator('[data-test=store-save]').click()
      await page.locator('[data-test=stores-table]').getByText('北方分店', { exact: true }).waitFor()
      const after = (await boss('GET', '/stores/north')).json.store
      ctx.eq([after.name, after.version], ['北方分店', north.version + 2], 'saved on the reloaded version')
      await page.context().close()
    },
  },
  {
    name: 'boss creates a cs_presale user limited to qinghe, who sees only qinghe',
    async run(ctx) {
      const boss = await ctx.api('boss')
      const page = await ctx.page('boss')
      await page.goto(ctx.base + '/settings/users')
      await page.locator('[data-test="user-row-boss"]').waitFor()
      await shot(ctx, page, 'settings-users')
      ctx.assert(!/\$argon2|password_hash/i.test(await page.content()), 'no password hash on the page')

      await page.locator('[data-test=user-add]').click()
      await inp(page, 'user-username').fill(NEW_USER)
      await inp(page, 'user-display-name').fill('测试售前')
      await pickOption(page, 'user-role', 'role-cs_presale')
      await pickOption(page, 'user-stores', 'user-store-qinghe')
      await page.locator('[data-test=user-dialog] .el-dialog__title').click() // closes the multi-select, not the dialog
      await inp(page, 'user-password').fill(NEW_PASSWORD)
      await inp(page, 'user-password2').fill(NEW_PASSWORD + 'x')
      await page.locator('[data-test=user-save]').click()
      await page.getByText('两次输入的密码不一致').waitFor()
      ctx.eq((await boss('GET', '/users')).json.items.some((u) => u.username === NEW_USER), false, 'not created while the passwords differ')
      await inp(page, 'user-password2').fill(NEW_PASSWORD)
      await shot(ctx, page, 'settings-user-create')
      await inp(page, 'user-password2').press('Enter')
      await page.locator(`[data-test="user-row-${NEW_USER}"]`).waitFor()

      const u = (await boss('GET', '/users')).json.items.find((x) => x.username === NEW_USER)
      ctx.eq([u.role, u.stores, u.disabled, u.display_name], ['cs_presale', ['qinghe'], false, '测试售前'], 'the user as created')
      ctx.assert(!('password_hash' in u) && !('password' in u), 'the API shows no password')
      ctx.eq(await page.locator(`[data-test="user-role-${NEW_USER}"]`).innerText(), '售前客服', 'Chinese role label')
      state.user = u

      // the new user signs in and sees only qinghe, in the UI and the API
      const p2 = await ctx.page()
      await ctx.login(p2, NEW_USER, NEW_PASSWORD)
      await p2.locator('[data-test=store-select]').click()
      const options = p2.locator('.el-select-dropdown__item:visible')
      await options.first().waitFor()
      ctx.eq(await options.allInnerTexts(), ['青禾旗舰店'], 'the store picker offers only qinghe')
      await p2.keyboard.press('Escape')
      const mine = await ctx.api(NEW_USER)
      ctx.eq((await mine('GET', '/stores')).json.items.map((s) => s.code), ['qinghe'], 'GET /stores as the new user')
      ctx.eq((await boss('GET', '/stores')).json.items.map((s) => s.code).sort(), ['north', 'qinghe'], 'the boss sees both')
      ctx.eq((await mine('GET', '/stores/north/policy')).status, 404, 'the other store is invisible')
      state.userPage = p2
      state.userApi = mine
      await page.context().close()
    },
  },
  {
    name: 'boss disables the user: its next API call is 401 and the page goes to login',
    async run(ctx) {
      const boss = await ctx.api('boss')
      const page = await ctx.page('boss')
      await page.goto(ctx.base + '/settings/users')
      await page.locator(`[data-test="user-disable-${NEW_USER}"]`).click()
      const box = page.locator('.el-message-box')
      await box.waitFor()
      await box.locator('.el-button--primary').click()
      await page.locator(`[data-test="user-status-${NEW_USER}"]`).getByText('已停用').waitFor()
      await shot(ctx, page, 'settings-users-disabled')
      const u = (await boss('GET', '/users')).json.items.find((x) => x.username === NEW_USER)
      ctx.eq(u.disabled, true, 'disabled in the API')

      ctx.eq((await state.userApi('GET', '/stores')).status, 401, "the disabled user's next API call")
      const p2 = state.userPage
      await p2.goto(ctx.base + '/orders')
      await p2.waitForURL((url) => url.pathname === '/login', { timeout: 10000 })
      const login = await fetch(ctx.base + '/api/v1/auth/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: NEW_USER, password: NEW_PASSWORD }),
      })
      ctx.eq(login.status, 401, 'a disabled user cannot sign in')
      await p2.context().close()
      await page.context().close()
    },
  },
  {
    name: 'pre-sales CS is refused the users screen and GET /users',
    async run(ctx) {
      const page = await ctx.page('presale')
      await page.locator('[data-test=menu]').waitFor()
      ctx.eq(await page.locator('[data-test="menu-/settings/users"]').count(), 0, 'no users entry in the menu')
      await page.goto(ctx.base + '/settings/users')
      await page.waitForURL((u) => u.pathname === '/forbidden')
      await page.locator('[data-test=forbidden]').waitFor()
      await shot(ctx, page, 'settings-users-forbidden')
      const presale = await ctx.api('presale')
      ctx.eq((await presale('GET', '/users')).status, 403, 'GET /users as presale')

      // pre-sales may view the policy but not save it
      await page.goto(ctx.base + '/settings/policy')
      await page.locator('[data-test="policy-orders.refund_warn_hours"]').waitFor()
      ctx.eq(await page.locator('[data-test=policy-save]').count(), 0, 'no save button for pre-sales')
      ctx.assert(await inp(page, 'policy-orders.refund_warn_hours-input').isDisabled(), 'inputs read-only')
      ctx.eq((await presale('PUT', '/stores/qinghe/policy', { version: 0, policy: {} })).status, 403, 'PUT policy as presale')
      await page.context().close()
    },
  },
  {
    name: 'boss sets a policy number: out of bounds shows the API message, in bounds saves a version',
    async run(ctx) {
      const boss = await ctx.api('boss')
      const before = (await boss('GET', '/stores/qinghe/policy')).json
      const page = await ctx.page('boss')
      await page.goto(ctx.base + '/settings/policy')
      // the boss now sees two stores; the policy is the one picked in the header
      await page.locator('[data-test=store-select]').click()
      await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '青禾旗舰店' }).click()
      await page.locator('.page-head h2').getByText('青禾旗舰店').waitFor()
      const row = page.locator('[data-test="policy-orders.refund_warn_hours"]')
      await row.waitFor()
      ctx.eq(await page.locator('[data-test=policy-version]').innerText(), `版本 ${before.version}`, 'version shown')
      await shot(ctx, page, 'settings-policy')

      const input = row.locator('input')
      await input.fill('999')
      await input.press('Enter')
      const err = row.locator('.el-form-item__error')
      await err.waitFor()
      const msg = await err.innerText()
      ctx.assert(msg.includes('orders.refund_warn_hours') && msg.includes('240'), "the API's message under the field: " + msg)
      ctx.eq((await boss('GET', '/stores/qinghe/policy')).json.version, before.version, 'nothing saved')
      await shot(ctx, page, 'settings-policy-error')

      // a money field on another tab shows yuan
      await page.locator('[data-test=policy-tab-scores]').click()
      ctx.eq(await inp(page, 'policy-scores.fine_first_fen-input').inputValue(), '10.00', 'fen shown as yuan')
      await page.locator('[data-test=policy-tab-orders]').click()

      await input.fill('36')
      await err.waitFor({ state: 'detached', timeout: 3000 }) // the message goes once the value changes
      await page.locator('[data-test=policy-save]').click()
      await page.locator('[data-test=policy-version]').getByText(`版本 ${before.version + 1}`).waitFor()
      const after = (await boss('GET', '/stores/qinghe/policy')).json
      ctx.eq(after.version, before.version + 1, 'GET policy shows the new version')
      ctx.eq(after.policy.orders.refund_warn_hours, 36, 'the new value')
      ctx.eq(after.policy.scores.fine_first_fen, before.policy.scores.fine_first_fen, 'other values kept')
      await row.locator('[data-test="policy-orders.refund_warn_hours-differs"]').waitFor()

      // the history names the change
      await page.locator('[data-test=policy-history-open]').click()
      const v = page.locator(`[data-test=policy-version-${after.version}]`)
      await v.waitFor()
      ctx.assert(/退款临近超时提醒[\s\S]*24[\s\S]*36/.test(await v.innerText()), 'history shows 24 → 36: ' + (await v.innerText()))
      await shot(ctx, page, 'settings-policy-history')
      await page.context().close()
    },
  },
  {
    name: 'English relabels the menu and the policy page',
    async run(ctx) {
      const page = await ctx.page('boss')
      await page.goto(ctx.base + '/settings/policy')
      await page.locator('[data-test="policy-orders.refund_warn_hours"]').waitFor()
      const menu = page.locator('[data-test=menu]')
      ctx.assert((await menu.innerText()).includes('规则设置'), 'Chinese menu first')
      await page.locator('[data-test=lang] label, [data-test=lang] .el-radio-button').filter({ hasText: 'EN' }).click()
      await menu.getByText('Policy', { exact: true }).waitFor()
      const text = await menu.innerText()
      ctx.assert(text.includes('Orders') && text.includes('Users & roles') && !text.includes('订单'), 'English menu: ' + text)
      const row = page.locator('[data-test="policy-orders.refund_warn_hours"]')
      ctx.assert((await row.innerText()).includes('Warn before a refund times out'), 'English field label: ' + (await row.innerText()))
      ctx.assert((await row.innerText()).includes('hours'), 'English unit')
      ctx.assert((await page.locator('[data-test=policy-tab-orders]').innerText()).includes('Orders & after-sales'), 'English section')
      ctx.assert((await page.locator('.page-head h2').innerText()).includes('Policy'), 'English title')
      await shot(ctx, page, 'settings-policy-en')
      await page.goto(ctx.base + '/settings/users')
      await page.locator('[data-test="user-row-boss"]').waitFor()
      ctx.eq(await page.locator('[data-test="user-role-presale"]').innerText(), 'Pre-sales CS', 'English role label')
      await shot(ctx, page, 'settings-users-en')
      await page.locator('[data-test=lang] label, [data-test=lang] .el-radio-button').filter({ hasText: '中文' }).click()
      await page.context().close()
    },
  },
]
