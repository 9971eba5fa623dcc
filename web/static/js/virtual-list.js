// A virtual list: only the rows in sight (and a few around them) exist in the page, so a buffer of tens of
// thousands of events scrolls smoothly. Rows have a fixed height. It is an ARIA grid: the container takes the
// keyboard focus, the arrow keys, Page Up/Down, Home and End move the selected row (aria-activedescendant),
// Enter opens it; End also turns "follow the tail" back on.
//
// Cheap at live rates: events appended (appended()) are drawn once per animation frame however many batches came
// in it, and a row that leaves the view is moved and refilled where it is needed next instead of being taken out
// of the page and rebuilt.

const OVERSCAN = 8;
/** Following the tail, the newest row is at the bottom: fewer rows are kept above the view. */
const OVERSCAN_FOLLOWING = 2;

export class VirtualList {
  /**
   * @param viewport the scrolling element (role="grid", tabindex="0"), holding a header row and a body element
   * @param body the element the rows go in (role="rowgroup")
   * @param options {rowHeight, renderRow(rowElement, item, index) (fills or refills the row), onSelect(item, index),
   *                 onActivate(item, index), onFollowChange(following)}
   */
  constructor(viewport, body, options) {
    this.viewport = viewport;
    this.body = body;
    this.rowHeight = options.rowHeight;
    this.options = options;
    this.items = [];
    this.selected = -1;
    this.following = false;
    this.rows = new Map(); // index → row element in the page
    this.pool = [];        // row elements out of the page, for reuse
    this.programmaticScroll = false;
    this.pendingRemoved = 0;   // items removed from the front since the last update (appended())
    this.updateRequested = false;
    viewport.addEventListener('scroll', () => this.onScroll());
    viewport.addEventListener('keydown', e => this.onKey(e));
    body.addEventListener('click', e => {
      const row = e.target.closest('[data-index]');
      if (!row) return;
      const index = Number(row.dataset.index);
      this.select(index);
      this.options.onActivate?.(this.items[index], index);
    });
    new ResizeObserver(() => this.render()).observe(viewport);
  }

  /** The array shown (kept by reference: call refresh() or appended() after changing it). */
  setItems(items) {
    this.items = items;
    this.pendingRemoved = 0;
    this.selected = -1;
    this.viewport.removeAttribute('aria-activedescendant');
    this.clearRows();
    this.refresh();
    if (!this.following) this.scrollTo(0);
  }

  /**
   * After items were appended (and {@code removedFromFront} removed from the front): the list is brought up to
   * date at the next animation frame, once for everything appended until then.
   */
  appended(removedFromFront = 0) {
    this.pendingRemoved += removedFromFront;
    if (this.updateRequested) return;
    this.updateRequested = true;
    requestAnimationFrame(() => this.update());
  }

  /** Brings the list up to date now with what appended() announced (before anything reads its state). */
  update() {
    this.updateRequested = false;
    const removed = this.pendingRemoved;
    this.pendingRemoved = 0;
    this.refresh(removed);
  }

  /** After items were appended (or removed from the front: pass how many), at once. */
  refresh(removedFromFront = 0) {
    if (removedFromFront > 0) {
      this.shiftRows(removedFromFront);
      if (this.selected >= 0) this.selected = Math.max(-1, this.selected - removedFromFront);
      if (!this.following) this.scrollTo(Math.max(0, this.viewport.scrollTop - removedFromFront * this.rowHeight));
    }
    this.body.style.height = (this.items.length * this.rowHeight) + 'px';
    this.viewport.setAttribute('aria-rowcount', String(this.items.length + 1));
    if (this.following) {
      this.scrollTo(this.viewport.scrollHeight);
    }
    this.render();
  }

  /** Re-draws the rows in sight (e.g. after the time display changed). */
  redraw() {
    this.clearRows();
    this.render();
  }

  setFollowing(following) {
    if (this.following === following) return;
    this.following = following;
    this.options.onFollowChange?.(following);
    if (following) this.refresh();
  }

  select(index, { scroll = false } = {}) {
    if (this.pendingRemoved) this.update();
    if (index < 0 || index >= this.items.length) return;
    this.selected = index;
    if (scroll) this.scrollIntoView(index);
    this.render();
    this.viewport.setAttribute('aria-activedescendant', this.rowId(index));
    this.options.onSelect?.(this.items[index], index);
  }

  scrollIntoView(index) {
    const top = index * this.rowHeight;
    const view = this.viewport.clientHeight - this.headerHeight();
    if (top < this.viewport.scrollTop) this.scrollTo(top);
    else if (top + this.rowHeight > this.viewport.scrollTop + view) this.scrollTo(top + this.rowHeight - view);
  }

  headerHeight() {
    const header = this.viewport.querySelector('.grid-header');
    return header ? header.offsetHeight : 0;
  }

  /** Scrolls without taking it for the user's doing (which would turn following off or on). */
  scrollTo(top) {
    const max = Math.max(0, this.viewport.scrollHeight - this.viewport.clientHeight);
    const target = Math.min(max, Math.max(0, top));
    if (Math.abs(this.viewport.scrollTop - target) >= 1) {
      this.programmaticScroll = true; // no scroll event comes when nothing moves
      this.viewport.scrollTop = target;
    }
  }

  onScroll() {
    if (this.programmaticScroll) {
      this.programmaticScroll = false;
    } else {
      if (this.pendingRemoved) this.update();
      const atBottom = this.viewport.scrollTop + this.viewport.clientHeight >= this.viewport.scrollHeight - this.rowHeight;
      if (this.following !== atBottom) this.setFollowing(atBottom);
    }
    this.render();
  }

  onKey(e) {
    if (this.pendingRemoved) this.update();
    const page = Math.max(1, Math.floor((this.viewport.clientHeight - this.headerHeight()) / this.rowHeight) - 1);
    const last = this.items.length - 1;
    const current = this.selected < 0 ? this.firstVisible() - 1 : this.selected;
    let next = null;
    switch (e.key) {
      case 'ArrowDown': next = Math.min(last, current + 1); break;
      case 'ArrowUp': next = Math.max(0, current - 1); break;
      case 'PageDown': next = Math.min(last, current + page); break;
      case 'PageUp': next = Math.max(0, current - page); break;
      case 'Home': next = 0; break;
      case 'End':
        next = last;
        this.setFollowing(true);
        break;
      case 'Enter':
        if (this.selected >= 0) this.options.onActivate?.(this.items[this.selected], this.selected);
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    if (e.key !== 'End' && next < last) this.setFollowing(false);
    this.select(next, { scroll: true });
  }

  firstVisible() {
    return Math.floor(this.viewport.scrollTop / this.rowHeight);
  }

  rowId(index) {
    return this.viewport.id + '-row-' + index;
  }

  clearRows() {
    for (const row of this.rows.values()) {
      row.remove();
      this.pool.push(row);
    }
    this.rows.clear();
  }

  /** Items left the front: each row keeps its item, whose index is now {@code removed} less. */
  shiftRows(removed) {
    const shifted = new Map();
    for (const [index, row] of this.rows) {
      if (index - removed < 0) {
        row.remove();
        this.pool.push(row);
      } else {
        this.place(row, index - removed);
        shifted.set(index - removed, row);
      }
    }
    this.rows = shifted;
  }

  /** Puts a row at an index (its position and numbering; not its content). */
  place(row, index) {
    row.dataset.index = String(index);
    row.id = this.rowId(index);
    row.setAttribute('aria-rowindex', String(index + 2));
    row.style.top = (index * this.rowHeight) + 'px';
  }

  render() {
    if (this.pendingRemoved) {
      this.update(); // the rows are still numbered as before a removal: renumber, then render
      return;
    }
    const count = this.items.length;
    const height = this.viewport.clientHeight;
    const overscan = this.following ? OVERSCAN_FOLLOWING : OVERSCAN;
    const first = Math.max(0, this.firstVisible() - overscan);
    const last = Math.min(count - 1, Math.ceil((this.viewport.scrollTop + height) / this.rowHeight) + overscan);
    // Rows out of range are refilled for the indexes that need one; only what is left over leaves the page.
    const spare = [];
    for (const [index, row] of this.rows) {
      if (index < first || index > last) {
        spare.push(row);
        this.rows.delete(index);
      }
    }
    for (let index = first; index <= last; index++) {
      let row = this.rows.get(index);
      if (!row) {
        row = spare.pop();
        if (!row) {
          row = this.pool.pop() || this.newRow();
          this.body.appendChild(row);
        }
        this.place(row, index);
        this.options.renderRow(row, this.items[index], index);
        this.rows.set(index, row);
      }
      const selected = index === this.selected;
      if (row.classList.contains('selected') !== selected) {
        row.classList.toggle('selected', selected);
        row.setAttribute('aria-selected', String(selected));
      }
    }
    for (const row of spare) {
      row.remove();
      this.pool.push(row);
    }
  }

  newRow() {
    const row = document.createElement('div');
    row.className = 'grid-row';
    row.setAttribute('role', 'row');
    row.setAttribute('aria-selected', 'false');
    return row;
  }
}
