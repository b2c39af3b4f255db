import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { products } from '@shop/catalog-data'
import { launchBrowser, type TestBrowser } from './support/browser.js'
import { newAccount, ShopClient } from './support/shop-client.js'
import { startStack, type Stack } from './support/stack.js'

const product = (id: string) => products.find((entry) => entry.id === id)!
const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`
const cents = (text: string) => Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100)
/** Polls until the value matches: the machine may be busy, so allow as long as a locator would. */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 })

/**
 * Fills several fields before React re-renders, the way autofill and password managers change a whole
 * form at once. Setting each field and dispatching its input event one after the other is not enough:
 * React 19 re-renders at the end of every input event on a controlled field (it flushes before it
 * restores the field's value), so each handler sees the state the previous one made. Here the next
 * field is filled while React is still handling the previous field's event (when it reads that field's
 * value), so every handler runs in one React batch from the same render: a handler that writes
 * `{ ...form, [name]: value }` from its render's `form` loses the fields filled before it.
 */
async function autofill(page: Page, values: Record<string, string>): Promise<void> {
  const fields = await Promise.all(
    Object.keys(values).map((label) => page.getByLabel(label, { exact: true }).elementHandle()),
  )
  await page.evaluate(
    ([elements, texts]) => {
      const restore: (() => void)[] = []
      const fill = (index: number) => {
        const field = elements[index] as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement
        // The prototype's setter, as autofill does: React sees the change on the input event.
        const native = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field), 'value')!
        if (index + 1 < elements.length) {
          // React's own value tracker, put back once the form is filled.
          const own = Object.getOwnPropertyDescriptor(field, 'value')
          restore.push(() =>
            own ? Object.defineProperty(field, 'value', own) : Reflect.deleteProperty(field, 'value'),
          )
          let nextFilled = false
          Object.defineProperty(field, 'value', {
            configurable: true,
            get() {
              if (!nextFilled) {
                nextFilled = true
                fill(index + 1)
              }
              return native.get!.call(this)
            },
            set(text: string) {
              native.set!.call(this, text)
            },
          })
        }
        native.set!.call(field, texts[index])
        field.dispatchEvent(
          new Event(field instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }),
        )
      }
      fill(0)
      for (const undo of restore) undo()
    },
    [fields, Object.values(values)] as const,
  )
}

/** Every journey of docs/architecture.md#6-the-user-journeys, through the page in Chromium, whole shop. */
// Each journey takes seconds; on a busy 2-core machine, allow it minutes.
describe('the shop in a browser', { timeout: 120_000 }, () => {
  let stack: Stack
  let browser: TestBrowser
  let page: Page
  const account = newAccount('browser')

  const footer = () => page.getByTestId('served-by')
  const open = async (path: string) => {
    await page.goto(`${stack.ui.url}${path}`)
  }

  beforeAll(async () => {
    ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
    page = browser.page
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await stack?.stop()
  })

  // A failed step says what the page showed and what the BFF and the catalog's router saw, so a
  // failure on a busy CI machine can be explained without running it again.
  beforeEach(({ task, onTestFailed }) => {
    onTestFailed(async () => {
      console.error(await failureReport(task.name))
    })
  })

  const failureReport = async (name: string) => {
    const shown = await page
      .locator('body')
      .innerText({ timeout: 2_000 })
      .catch((error: Error) => `(unreadable: ${error.message})`)
    await browser.screenshot(`failed-${name.replace(/[^\w]+/g, '-').slice(0, 60)}`).catch(() => {})
    const recent = (lines: string[]) =>
      lines
        .filter((line) => !line.includes('"url":"/images/'))
        .slice(-15)
        .join('\n')
    const routed = stack.catalogRouter.requests.slice(-5).map((entry) => `${entry.method} ${entry.url}`)
    return [
      `--- "${name}" failed at ${page.url()}; the page showed:`,
      shown.slice(0, 1_500),
      '--- ecommerce-ui, last log lines:',
      recent(stack.ui.output),
      '--- the catalog router, last requests:',
      routed.join('\n'),
    ].join('\n')
  }

  it('1. browses the catalog: filter by category, search, sort', async () => {
    await open('/')
    await eventually(() => page.getByTestId('product-card').count()).toBe(12)
    await eventually(() => footer().textContent()).toBe('ecommerce-ui v1 · product-catalog v1')
    await eventually(() => page.getByTestId('request-id').textContent()).toMatch(/^[\w-]{8,}$/)
    await page.getByRole('heading', { name: 'All products' }).waitFor()
    await browser.screenshot('catalog')

    await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: /Audio/ }).click()
    await page.getByRole('heading', { name: 'Audio' }).waitFor()
    await page.getByText('5 products').waitFor()
    const audio = products.filter((entry) => entry.category === 'audio').map((entry) => entry.name)
    await eventually(() => page.locator('.product-card-name').allTextContents()).toEqual([...audio].sort())

    await page
      .getByRole('navigation', { name: 'Categories' })
      .getByRole('link', { name: 'All', exact: true })
      .click()
    await page.getByLabel('Search products').fill('coffee')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByText('1 product match “coffee”').waitFor()
    await expect
      .poll(() => page.locator('.product-card-name').allTextContents())
      .toEqual(['Pour-Over Coffee Set'])

    await page.getByLabel('Search products').fill('no such thing here')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByText(/No products match/).waitFor()

    await open('/')
    await page.getByTestId('product-card').first().waitFor()
    // product-catalog v1 answered: no rating sort on offer.
    expect(await page.getByTestId('sort').locator('option').allTextContents()).not.toContain('Top rated')
    await page.getByTestId('sort').selectOption('price-desc')
    const dearest = Math.max(...products.map((entry) => entry.price))
    await expect
      .poll(async () => cents((await page.locator('.product-card .price').first().textContent())!))
      .toBe(dearest)
    expect(page.url()).toContain('sort=price-desc')
  })

  it('2. opens a product: details, availability and a shipping estimate', async () => {
    await open('/?q=coffee')
    await page.getByRole('link', { name: 'Pour-Over Coffee Set' }).click()
    await page.getByRole('heading', { name: 'Pour-Over Coffee Set', level: 1 }).waitFor()
    await page.getByText(dollars(product('pour-over-coffee-set').price), { exact: true }).waitFor()
    await page.getByTestId('availability').getByText('In stock').waitFor()
    await eventually(() => page.getByTestId('shipping-estimate').locator('tbody tr').count()).toBe(3)
    const standardFee = await page
      .getByTestId('shipping-estimate')
      .getByRole('row', { name: /Standard/ })
      .textContent()

    await page.getByLabel('Country').selectOption('CA')
    await page.getByLabel('Postal code').fill('M5V 2T6')
    await page.getByRole('button', { name: 'Update' }).click()
    await expect
      .poll(() =>
        page
          .getByTestId('shipping-estimate')
          .getByRole('row', { name: /Standard/ })
          .textContent(),
      )
      .not.toBe(standardFee)
    for (const service of ['product-catalog v1', 'product-inventory v1', 'shipping-and-handling v1'])
      await eventually(() => footer().textContent()).toContain(service)
    expect(await page.getByRole('img', { name: 'Pour-Over Coffee Set' }).count()).toBe(1)
    await browser.screenshot('product')
  })

  it('3. signs up (adding to the cart as a guest asks for it), signs out, signs in, edits the profile', async () => {
    await open('/products/pour-over-coffee-set')
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    await page.getByText('Sign in and we will add the product to your cart.').waitFor()
    await page.getByRole('link', { name: 'Create an account' }).click()
    await page.getByLabel('First name').fill(account.firstName)
    await page.getByLabel('Last name').fill(account.lastName)
    await page.getByLabel('Email').fill(account.email)
    await page.getByLabel('Password').fill(account.password)
    await browser.screenshot('sign-up')
    await page.getByRole('button', { name: 'Create account' }).click()

    // Back on the product, which is now in the cart.
    await page.getByRole('heading', { name: 'Pour-Over Coffee Set', level: 1 }).waitFor()
    await page.getByText('Added to your cart.').waitFor()
    await eventually(() => page.getByTestId('cart-count').textContent()).toContain('1')
    await page.getByTestId('account-link').getByText(account.firstName).waitFor()

    await page.getByTestId('account-link').click()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByTestId('signin-link').waitFor()
    await page.getByTestId('signin-link').click()
    await page.getByLabel('Email').fill(account.email)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').getByText('That did not work').waitFor()
    await page.getByLabel('Password').fill(account.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByTestId('account-link').waitFor()
    // The account link shows as soon as the session does; the page leaves the sign-in form only once
    // the cart is loaded too. A click before that (a slow cart on a busy machine) is undone by it.
    await page.waitForURL((url) => url.pathname !== '/signin')

    await page.getByTestId('account-link').click()
    await page.getByRole('heading', { name: 'Your account' }).waitFor()
    await page.getByLabel('First name').fill('Augusta Ada')
    await page.getByLabel('Street and number').fill('1 Market St')
    await page.getByLabel('City').fill('San Francisco')
    await page.getByLabel('State or region (optional)').fill('CA')
    await page.getByLabel('Postal code').fill('94103')
    await page.getByLabel('Country').selectOption('US')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Your profile is saved.').waitFor()
    await page.reload()
    await eventually(() => page.getByLabel('First name').inputValue()).toBe('Augusta Ada')
    expect(await page.getByLabel('Street and number').inputValue()).toBe('1 Market St')
    await eventually(() => footer().textContent()).toContain('profile-management v1')
    await browser.screenshot('account')
  })

  it('4. adds a second product, changes a quantity and sees the quote', async () => {
    await open('/products/insulated-water-bottle')
    await page.getByTestId('quantity').selectOption('2')
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await page.getByText('Added to your cart.').waitFor()
    await eventually(() => page.getByTestId('cart-count').textContent()).toContain('3')

    await page.getByTestId('cart-link').click()
    await page.getByRole('heading', { name: 'Your cart' }).waitFor()
    await eventually(() => page.getByTestId('cart-line').count()).toBe(2)
    await page.getByRole('button', { name: 'One more Pour-Over Coffee Set' }).click()
    const coffee = page.locator('[data-product-id="pour-over-coffee-set"]')
    await eventually(() => coffee.getByTestId('line-quantity').textContent()).toBe('2')
    const subtotal = 2 * product('pour-over-coffee-set').price + 2 * product('insulated-water-bottle').price
    await eventually(() => page.getByTestId('subtotal').textContent()).toBe(dollars(subtotal))
    await page.getByTestId('quote').waitFor()
    const total = cents((await page.getByTestId('quote-total').textContent())!)
    expect(total).toBeGreaterThanOrEqual(subtotal)
    await eventually(() => footer().textContent()).toContain('order-management v1')
    await browser.screenshot('cart')
  })

  it('4. checks out: places the order and sees it in the history', async () => {
    await page.getByRole('link', { name: 'Checkout' }).click()
    await page.getByRole('heading', { name: 'Checkout' }).waitFor()
    // The address comes from the profile.
    await eventually(() => page.getByLabel('Street and number').inputValue()).toBe('1 Market St')
    await page.getByRole('radio', { name: /Express/ }).check()
    await page.getByTestId('checkout-quote').waitFor()
    await expect
      .poll(async () => (await page.getByTestId('checkout-quote').textContent()) ?? '')
      .toContain('Shipping')
    const shown = cents((await page.getByTestId('checkout-total').textContent())!)
    await browser.screenshot('checkout')
    await page.getByRole('button', { name: 'Place order' }).click()

    await page.getByTestId('order-placed').getByText('Thank you! Your order is placed.').waitFor()
    expect(cents((await page.getByTestId('order-total').textContent())!)).toBe(shown)
    await eventually(() => page.getByTestId('cart-count').count()).toBe(0)
    const orderId = page.url().split('/orders/')[1]!
    await browser.screenshot('order-confirmation')

    await page.getByRole('link', { name: 'All your orders' }).first().click()
    await page.getByRole('heading', { name: 'Your orders' }).waitFor()
    await eventually(() => page.getByTestId('order-row').count()).toBe(1)
    await page.getByTestId('order-row').getByText(orderId).waitFor()
    await browser.screenshot('orders')
  })

  it('5. shows the shipping methods and policy', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shipping' }).click()
    await page.getByRole('heading', { name: 'Shipping', level: 1 }).waitFor()
    await eventually(() => page.getByTestId('shipping-methods').locator('li').count()).toBe(3)
    await eventually(() => page.getByTestId('policy-section').count()).toBeGreaterThan(0)
    await eventually(() => footer().textContent()).toBe('ecommerce-ui v1 · shipping-and-handling v1')
    await browser.screenshot('shipping')
  })

  it('6. opens a support ticket and sees it listed', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Support' }).click()
    await page.getByRole('heading', { name: 'Support', level: 1 }).waitFor()
    await page.getByText('You have not opened any tickets.').waitFor()
    expect(await page.getByLabel('Email').inputValue()).toBe(account.email)
    await page.getByLabel('Subject').fill('Where is my coffee set?')
    await page
      .getByLabel('Message')
      .fill('My order has not arrived yet; could you check the tracking for me?')
    await page.getByRole('button', { name: 'Open a ticket' }).click()
    await page.getByTestId('ticket-opened').waitFor()
    await eventually(() => page.getByTestId('ticket-row').count()).toBe(1)
    await page.getByTestId('ticket-row').getByText('Where is my coffee set?').waitFor()
    await eventually(() => footer().textContent()).toContain('contact-support-team v1')
    await browser.screenshot('support')
  })

  it('shows ratings and "product-catalog v2" when the catalog canary answers, and copes when v1 does', async () => {
    stack.catalogDefault = 'v2'
    try {
      await open('/')
      await eventually(() => footer().textContent()).toContain('product-catalog v2')
      expect(await footer().textContent()).not.toContain('product-catalog v1')
      await eventually(() => page.getByTestId('rating').count()).toBe(12)
      await page.getByTestId('sort').selectOption('rating')
      const best = [...products].sort(
        (a, b) => b.rating.average - a.rating.average || b.rating.count - a.rating.count,
      )[0]!
      await eventually(() => page.locator('.product-card-name').first().textContent()).toBe(best.name)
      await browser.screenshot('catalog-v2-ratings')
    } finally {
      stack.catalogDefault = 'v1'
    }
    // The canary split sent this one to v1, which has no ratings: the list comes sorted by name, and says so.
    await page.reload()
    await page.getByTestId('sort-fallback').waitFor()
    await eventually(() => footer().textContent()).toContain('product-catalog v1')
    expect(await footer().textContent()).not.toContain('product-catalog v2')
    expect(await page.getByTestId('rating').count()).toBe(0)
    expect(await page.getByTestId('sort').inputValue()).toBe('rating')
  })

  it('shows "we could not place your order" with the request id when order-management v2 fails, and keeps the cart', async () => {
    await open('/products/cork-yoga-mat')
    await page.getByRole('button', { name: 'Add to cart' }).click()
    await page.getByText('Added to your cart.').waitFor()
    await open('/checkout')
    await page.getByTestId('checkout-quote').waitFor()

    stack.faultyOrders = true
    try {
      await page.getByRole('button', { name: 'Place order' }).click()
      const alert = page.getByRole('alert')
      await alert.getByText('We could not place your order', { exact: true }).waitFor()
      expect(await alert.count()).toBe(1)
      await alert.getByText(/Your cart is unchanged/).waitFor()
      const requestId = await alert.getByTestId('error-request-id').textContent()
      expect(requestId).toMatch(/^[\w-]{8,}$/)
      await eventually(() => footer().textContent()).toContain('order-management v2')
      await browser.screenshot('order-failed')
      const placement = stack.ordersRouter.requests.filter((entry) => entry.method === 'POST').at(-1)!
      expect(placement.headers['x-request-id']).toBe(requestId)
      expect(placement.target).toBe(stack.apps.ordersV2!.url)
    } finally {
      stack.faultyOrders = false
    }

    // The cart is intact, and trying again (same idempotency key) places the order once.
    const cartTab = await browser.context.newPage()
    await cartTab.goto(`${stack.ui.url}/cart`)
    await cartTab.locator('[data-product-id="cork-yoga-mat"]').waitFor()
    expect(await cartTab.getByTestId('cart-line').count()).toBe(1)
    await cartTab.close()
    await page.getByRole('button', { name: 'Try again' }).last().click()
    await page.getByTestId('order-placed').waitFor()
    await open('/orders')
    await eventually(() => page.getByTestId('order-row').count()).toBe(2)
  })

  it('keeps the session in an httpOnly cookie the page cannot read, and the BFF refuses requests without the CSRF token', async () => {
    const cookies = await browser.context.cookies(stack.ui.url)
    const session = cookies.find((cookie) => cookie.name === 'shop_session')!
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(await page.evaluate(() => document.cookie)).not.toContain('shop_session')

    const forged = await page.evaluate(async () => {
      const response = await fetch('/api/cart/items/foam-roller', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ quantity: 5 }),
      })
      return { status: response.status, body: await response.json() }
    })
    expect(forged.status).toBe(403)
    expect(forged.body).toMatchObject({ status: 403, requestId: expect.any(String) })
    await open('/cart')
    await page.getByText('Your cart is empty.').waitFor()
  })

  it('is usable on a phone, with the keyboard, and with a screen reader', async () => {
    const phone = await browser.context.newPage()
    await phone.setViewportSize({ width: 390, height: 844 })
    await phone.goto(`${stack.ui.url}/`)
    await phone.getByTestId('product-card').first().waitFor()
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await browser.screenshot('phone-catalog', phone)
    await phone.goto(`${stack.ui.url}/products/gps-sport-watch`)
    await phone.getByTestId('shipping-estimate').waitFor()
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await browser.screenshot('phone-product', phone)

    // The first Tab offers to skip to the content; every image says what it shows (or that it is decoration).
    await phone.keyboard.press('Tab')
    expect(await phone.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
    await phone.keyboard.press('Enter')
    expect(await phone.evaluate(() => document.activeElement?.id)).toBe('main')
    expect(await phone.locator('img:not([alt])').count()).toBe(0)
    // Following a link moves the focus to the new page's content.
    await phone.getByRole('link', { name: '← Back to the catalog' }).click()
    await phone.getByTestId('product-card').first().waitFor()
    expect(await phone.evaluate(() => document.activeElement?.id)).toBe('main')
    await phone.close()
  })

  it('the page never comes up blank: a failed call shows its message and request id', async () => {
    const client = new ShopClient(stack.ui.url)
    expect((await client.get('/api/products/no-such-product')).status).toBe(404)
    await open('/products/no-such-product')
    await page.getByRole('heading', { name: 'Product not found' }).waitFor()
    await page.getByRole('alert').getByTestId('error-request-id').waitFor()
  })
  it('keeps every field autofill sets before React re-renders: support, address and sign-up forms', async () => {
    await open('/support')
    await page.getByRole('heading', { name: 'Support', level: 1 }).waitFor()
    // The form is ready once it knows who is signed in (it fills in the e-mail).
    await eventually(() => page.getByLabel('Email').inputValue()).toBe(account.email)
    await autofill(page, { Subject: 'Autofilled subject', Message: 'Autofilled message, long enough.' })
    expect(await page.getByLabel('Subject').inputValue()).toBe('Autofilled subject')
    expect(await page.getByLabel('Message').inputValue()).toBe('Autofilled message, long enough.')
    await page.getByRole('button', { name: 'Open a ticket' }).click()
    await page.getByTestId('ticket-opened').waitFor()
    await page.getByTestId('ticket-row').getByText('Autofilled subject').waitFor()

    await open('/account')
    await page.getByRole('heading', { name: 'Your account' }).waitFor()
    await eventually(() => page.getByLabel('Street and number').inputValue()).toBe('1 Market St')
    await autofill(page, {
      'Street and number': '500 Queen St W',
      City: 'Toronto',
      'Postal code': 'M5V 2B5',
      Country: 'CA',
    })
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Your profile is saved.').waitFor()
    const client = new ShopClient(stack.ui.url)
    await client.send('POST', '/api/auth/signin', {
      body: { email: account.email, password: account.password },
    })
    expect((await client.get('/api/profile')).body.address).toMatchObject({
      line1: '500 Queen St W',
      city: 'Toronto',
      postalCode: 'M5V 2B5',
      country: 'CA',
    })

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByTestId('signin-link').waitFor()
    await open('/signup')
    await page.getByRole('heading', { name: 'Create an account' }).waitFor()
    const filled = newAccount('autofill')
    await autofill(page, {
      'First name': filled.firstName,
      'Last name': filled.lastName,
      Email: filled.email,
      Password: filled.password,
    })
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByTestId('account-link').getByText(filled.firstName).waitFor()
  })

  it('saw no script errors and no Content-Security-Policy violations', () => {
    expect(browser.problems).toEqual([])
  })
})
