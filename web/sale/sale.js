/* global document, window, sessionStorage, crypto */
// The waiting-room page at /sale/{id}: join, wait (polling exactly as often as the server says),
// buy when admitted, then follow the order until it is final. Plain browser JavaScript, no build step.
(function main() {
  'use strict';

  const $ = (selector) => document.querySelector(selector);
  const saleId = decodeURIComponent(window.location.pathname.split('/')[2] || '');
  const key = (name) => `floodgate.sale.${saleId}.${name}`;
  const FINAL = new Set(['paid', 'payment_failed', 'cancelled', 'refunded', 'fulfilled']);

  let sale = null;
  let admissionToken = null;
  let timer = null;

  // ---- small helpers ---------------------------------------------------------------------

  function say(text) {
    $('#status').textContent = text;
  }
  function fail(text) {
    $('#error').textContent = text || '';
  }
  function show(selector, visible) {
    $(selector).hidden = !visible;
  }
  function later(fn, ms) {
    window.clearTimeout(timer);
    timer = window.setTimeout(fn, Math.max(0, ms));
  }
  function money(price) {
    if (!price || typeof price.amount !== 'number') return '–';
    const format = new Intl.NumberFormat(undefined, { style: 'currency', currency: price.currency });
    const digits = format.resolvedOptions().maximumFractionDigits;
    return format.format(price.amount / 10 ** digits);
  }
  function duration(ms) {
    const s = Math.ceil(ms / 1000);
    if (s < 60) return `about ${s} second${s === 1 ? '' : 's'}`;
    const m = Math.round(s / 60);
    if (m < 60) return `about ${m} minute${m === 1 ? '' : 's'}`;
    const h = Math.floor(m / 60);
    return `about ${h} h ${m % 60} min`;
  }
  function newKey() {
    return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
  }
  /** Retry-After (seconds) of an answer, as milliseconds */
  function retryAfter(response, fallbackMs) {
    const seconds = Number(response.headers.get('retry-after'));
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : fallbackMs;
  }

  async function api(method, path, { body, headers = {}, auth = true } = {}) {
    const all = { accept: 'application/json', ...headers };
    if (body !== undefined) all['content-type'] = 'application/json';
    if (auth) all.authorization = `Bearer ${await accessToken()}`;
    const response = await window.fetch(path, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body) });
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    return { response, status: response.status, data: data || {} };
  }
  function problem(result) {
    return result.data.detail || result.data.title || `The shop answered ${result.status}`;
  }

  // ---- who is shopping: a logged-in customer's token, or a guest one kept for this tab ---

  async function accessToken() {
    const saved = sessionStorage.getItem('floodgate.accessToken');
    if (saved) return saved;
    const result = await api('POST', '/v1/auth/guest', { auth: false });
    if (result.status !== 201 || !result.data.accessToken) throw new Error(problem(result));
    sessionStorage.setItem('floodgate.accessToken', result.data.accessToken);
    return result.data.accessToken;
  }

  // ---- the sale ----------------------------------------------------------------------------

  function render() {
    // the sale names its product; a catalog hiccup leaves it null and the page says "Flash sale"
    const product = sale.product || {};
    $('#product-name').textContent = product.name || 'Flash sale';
    $('#variant-title').textContent = product.variantTitle || '';
    $('#price').textContent = money(sale.price);
    $('#remaining').textContent = typeof sale.remaining === 'number' ? String(sale.remaining) : '–';
    const badge = $('#sale-state');
    badge.textContent = sale.status.replace('_', ' ');
    badge.className = `badge ${sale.status}`;
    document.title = `${$('#product-name').textContent} · flash sale`;
    if (sale.perCustomerLimit) $('#quantity').max = String(sale.perCustomerLimit);
  }

  async function loadSale() {
    const result = await api('GET', `/v1/flash-sales/${encodeURIComponent(saleId)}`, { auth: false });
    if (result.status === 404 || result.status === 400) {
      $('#product-name').textContent = 'Sale not found';
      say('There is no sale at this address.');
      return false;
    }
    if (result.status !== 200) throw new Error(problem(result));
    sale = result.data;
    render();
    return true;
  }

  /** sold out can still turn (a payment fails, a reservation lapses): a ticket holder keeps checking as told */
  function soldOut(retryMs) {
    show('#queue', false);
    show('#buy-form', false);
    show('#join', false);
    loadSale().catch(() => {});
    if (retryMs && sessionStorage.getItem(key('ticket'))) {
      say('Sold out for now. If a unit comes back, your place in line still counts: keep this page open.');
      return later(poll, retryMs);
    }
    say('Sold out. Everything in this sale has been sold — thank you for waiting.');
    return undefined;
  }

  /** the sale's public state is cacheable and at most a second old; waiting pages refresh it now and then */
  let saleReadAt = 0;
  async function refreshSale() {
    if (Date.now() - saleReadAt < 10000) return;
    saleReadAt = Date.now();
    await loadSale().catch(() => false);
  }

  // ---- joining and waiting -------------------------------------------------------------------

  async function join() {
    $('#join').disabled = true;
    fail('');
    try {
      const result = await api('POST', `/v1/flash-sales/${encodeURIComponent(saleId)}/queue`);
      if (result.status === 201 || result.status === 200) {
        sessionStorage.setItem(key('ticket'), result.data.ticket);
        show('#join', false);
        show('#queue', true);
        say('You are in line. Keep this page open.');
        // the join says when to ask first, like every poll answer: asking at once would spend the sale's poll budget
        const first = typeof result.data.retryAfterMs === 'number' ? result.data.retryAfterMs : 1000;
        return later(poll, first);
      }
      if (result.status === 503 || result.status === 429) {
        say('The waiting room is busy; joining again in a moment.');
        return later(join, retryAfter(result.response, 2000));
      }
      if (result.status === 401) sessionStorage.removeItem('floodgate.accessToken');
      fail(problem(result));
    } catch (err) {
      fail(`Could not join: ${err.message}`);
    }
    $('#join').disabled = false;
  }

  async function poll() {
    const ticket = sessionStorage.getItem(key('ticket'));
    if (!ticket) return offerJoin();
    let result;
    try {
      result = await api('GET', `/v1/flash-sales/${encodeURIComponent(saleId)}/queue/${encodeURIComponent(ticket)}`);
    } catch {
      say('Connection lost; still holding your place and trying again.');
      return later(poll, 3000);
    }
    if (result.status === 503 || result.status === 429) return later(poll, retryAfter(result.response, 2000));
    if (result.status !== 200) {
      // a ticket this customer cannot use (another tab's guest, expired): join again
      sessionStorage.removeItem(key('ticket'));
      fail(problem(result));
      return offerJoin();
    }
    const answer = result.data;
    const wait = typeof answer.retryAfterMs === 'number' ? answer.retryAfterMs : 1000;
    if (answer.state === 'sold_out') return soldOut(wait);
    if (answer.state === 'admitted') return admitted(answer);
    await refreshSale();
    showPosition(answer);
    return later(poll, wait);
  }

  function showPosition(answer) {
    // people before this ticket: its place minus everyone the sale has admitted so far
    const admittedUpTo = typeof answer.admittedUpTo === 'number' ? answer.admittedUpTo : (sale && sale.queue && sale.queue.admittedUpTo) || 0;
    const ahead = typeof answer.ahead === 'number' ? answer.ahead : Math.max(0, (answer.position || 1) - 1 - admittedUpTo);
    const rate = sale && sale.admissionRatePerSecond;
    const etaMs = typeof answer.estimatedWaitMs === 'number' ? answer.estimatedWaitMs : rate ? (ahead / rate) * 1000 : null;
    show('#queue', true);
    $('#position').textContent = ahead === 0 ? 'next' : `${ahead.toLocaleString()} ahead`;
    $('#wait').textContent = etaMs == null ? 'unknown' : duration(etaMs);
    say(ahead === 0 ? 'You are next in line.' : `You are in line: ${ahead.toLocaleString()} ahead of you${etaMs == null ? '' : `, ${duration(etaMs)}`}.`);
  }

  function admitted(answer) {
    admissionToken = answer.admissionToken;
    show('#queue', false);
    show('#buy-form', true);
    $('#buy').disabled = false;
    say("It's your turn! Buy now: your place is held for a short time.");
    $('#buy').focus();
  }

  function offerJoin() {
    show('#join', true);
    show('#queue', false);
    $('#join').disabled = false;
    say('The sale is live. Join the waiting room to get your turn.');
  }

  // ---- buying ------------------------------------------------------------------------------------

  async function buy(event) {
    event.preventDefault();
    $('#buy').disabled = true;
    fail('');
    const form = new window.FormData($('#buy-form'));
    const quantity = Number(form.get('quantity'));
    try {
      // the same key for this admission, so a retried click cannot take a second unit
      let reservationKey = sessionStorage.getItem(key('reservation-key'));
      if (!reservationKey) sessionStorage.setItem(key('reservation-key'), (reservationKey = newKey()));
      say('Reserving your item…');
      const reserved = await api('POST', `/v1/flash-sales/${encodeURIComponent(saleId)}/reservations`, {
        body: { quantity },
        headers: { 'admission-token': admissionToken || '', 'idempotency-key': reservationKey },
      });
      const code = reserved.data.code;
      if (reserved.status === 409 && code === 'FLASH_SALE_SOLD_OUT') return soldOut();
      if (reserved.status === 409 && code === 'FLASH_SALE_ADMISSION_EXPIRED') {
        // the turn went to the next customer: polling again would only be told "admitted" by a ticket that has spent it
        show('#buy-form', false);
        fail(problem(reserved));
        say('Your turn to buy ran out before you reserved.');
        return undefined;
      }
      if (reserved.status === 403) {
        sessionStorage.removeItem(key('reservation-key'));
        show('#buy-form', false);
        say('Your turn ran out; checking your place again.');
        return poll();
      }
      if (reserved.status !== 201) {
        if (reserved.status === 422) sessionStorage.removeItem(key('reservation-key'));
        fail(problem(reserved));
        say(reserved.status === 429 ? 'You have reached the limit for this sale.' : 'Could not reserve; try again.');
        $('#buy').disabled = reserved.status === 429;
        return undefined;
      }
      return checkout(reserved.data.reservationId, form);
    } catch (err) {
      fail(`Could not reach the shop: ${err.message}`);
      $('#buy').disabled = false;
      return undefined;
    }
  }

  async function checkout(reservationId, form) {
    say('Placing your order…');
    let checkoutKey = sessionStorage.getItem(key(`checkout-key.${reservationId}`));
    if (!checkoutKey) sessionStorage.setItem(key(`checkout-key.${reservationId}`), (checkoutKey = newKey()));
    const placed = await api('POST', '/v1/checkout', {
      headers: { 'idempotency-key': checkoutKey },
      body: {
        reservationId,
        email: String(form.get('email')),
        shippingAddress: {
          name: String(form.get('name')),
          line1: String(form.get('line1')),
          city: String(form.get('city')),
          postalCode: String(form.get('postalCode')),
          country: String(form.get('country')).toUpperCase(),
        },
        paymentToken: String(form.get('paymentToken')),
      },
    });
    if (placed.status !== 202 && placed.status !== 201) {
      fail(problem(placed));
      say('The order could not be placed.');
      $('#buy').disabled = false;
      return undefined;
    }
    sessionStorage.removeItem(key('reservation-key'));
    show('#buy-form', false);
    show('#order', true);
    $('#order-id').textContent = placed.data.orderId;
    return watchOrder(placed.data.orderId, 500);
  }

  async function watchOrder(orderId, everyMs) {
    let result;
    try {
      result = await api('GET', `/v1/orders/${encodeURIComponent(orderId)}`);
    } catch {
      return later(() => watchOrder(orderId, everyMs), 2000);
    }
    const status = result.status === 200 ? result.data.status : 'pending';
    $('#order-status').textContent = status.replace('_', ' ');
    if (!FINAL.has(status)) {
      say('Order received; confirming your payment…');
      return later(() => watchOrder(orderId, Math.min(everyMs * 1.5, 3000)), everyMs);
    }
    if (status === 'paid' || status === 'fulfilled') say('Paid! Your order is confirmed.');
    else if (status === 'payment_failed') say('The payment was declined; your item went back to the sale.');
    else say(`Your order is ${status.replace('_', ' ')}.`);
    return undefined;
  }

  // ---- start -----------------------------------------------------------------------------------

  async function start() {
    $('#join').addEventListener('click', join);
    $('#buy-form').addEventListener('submit', buy);
    try {
      if (!(await loadSale())) return;
    } catch (err) {
      say('The sale could not be loaded.');
      fail(err.message);
      return;
    }
    if (sale.status === 'ended') return say('This sale has ended.');
    if (sale.status === 'scheduled') return waitForStart();
    if (sessionStorage.getItem(key('ticket'))) return poll();
    if (sale.status === 'sold_out') return soldOut();
    return offerJoin();
  }

  /** the line opens when the sale goes live; the page checks the (cacheable) sale until then */
  async function waitForStart() {
    const startsIn = sale.startsAt ? Date.parse(sale.startsAt) - Date.now() : 0;
    say(`The sale has not started yet${sale.startsAt ? `; it opens ${new Date(sale.startsAt).toLocaleString()}` : ''}. This page lets you in when it does.`);
    later(async () => {
      const found = await loadSale().catch(() => true);
      if (found && sale.status === 'scheduled') return waitForStart();
      return found && sale.status === 'live' ? offerJoin() : afterStart();
    }, Math.min(Math.max(startsIn, 1000), 30000));
  }
  function afterStart() {
    if (sale.status === 'sold_out') return soldOut();
    if (sale.status === 'ended') return say('This sale has ended.');
    return offerJoin();
  }

  start();
})();
