import { useEffect, useState, type FormEvent } from 'react'
import { Link, useSearchParams } from 'react-router'
import { query, request } from '../api/client'
import { versionOf } from '../api/mesh'
import type { CategoryList, ProductPage, ProductSort, ShopProduct } from '../api/types'
import { useApi } from '../api/useApi'
import { ErrorMessage } from '../components/ErrorMessage'
import { Loading } from '../components/Loading'
import { PageTitle } from '../components/PageTitle'
import { ProductCard } from '../components/ProductCard'
import { plural } from '../format'

const PAGE_SIZE = 12
const SORTS: { id: ProductSort; label: string }[] = [
  { id: 'name', label: 'Name' },
  { id: 'price-asc', label: 'Price: low to high' },
  { id: 'price-desc', label: 'Price: high to low' },
  { id: 'newest', label: 'Newest' },
  { id: 'rating', label: 'Top rated' },
]
export function CatalogPage() {
  const [params, setParams] = useSearchParams()
  const category = params.get('category') ?? undefined
  const q = params.get('q') ?? undefined
  const sort = (params.get('sort') ?? 'name') as ProductSort
  const page = Math.max(1, Number(params.get('page')) || 1)

  const categories = useApi(
    (signal) => request<CategoryList>('/api/categories', { signal }).then((r) => r.data),
    [],
  )
  const listing = useApi(
    (signal) =>
      request<ProductPage<ShopProduct>>(
        `/api/products${query({ category, q, sort, page, pageSize: PAGE_SIZE })}`,
        {
          signal,
        },
      ),
    [category, q, sort, page],
  )

  // The version of the catalog that answered (the last answer while the next one loads): the rating
  // sort is offered where it works, and kept on screen while it is the one asked for.
  const catalogVersion = listing.latest && versionOf('product-catalog', listing.latest.report.servedBy)
  const offerRating = catalogVersion === 'v2' || sort === 'rating'

  useEffect(() => {
    if (listing.state === 'ready' && !performance.getEntriesByName('shop:catalog-rendered').length)
      performance.mark('shop:catalog-rendered')
  }, [listing.state])

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params)
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value)
      else next.delete(name)
    }
    if (!('page' in changes)) next.delete('page')
    setParams(next)
  }

  const categoryName = (id: string) => categories.data?.items.find((entry) => entry.id === id)?.name
  const heading = category ? (categoryName(category) ?? 'Products') : 'All products'

  return (
    <div className="catalog">
      <PageTitle title={q ? `“${q}” in ${heading}` : heading}>{heading}</PageTitle>
      <div className="catalog-controls">
        <nav aria-label="Categories" className="chips">
          <Link
            to={`/${query({ q, sort: sort === 'name' ? undefined : sort })}`}
            aria-current={!category ? 'page' : undefined}
          >
            All
          </Link>
          {categories.data?.items.map((entry) => (
            <Link
              key={entry.id}
              to={`/${query({ category: entry.id, q, sort: sort === 'name' ? undefined : sort })}`}
              aria-current={category === entry.id ? 'page' : undefined}
            >
              {entry.name} <span className="chip-count">{entry.productCount}</span>
            </Link>
          ))}
        </nav>
        {categories.state === 'error' && (
          <ErrorMessage
            error={categories.error}
            title="We could not load the categories"
            onRetry={categories.reload}
          />
        )}
        <div className="catalog-filters">
          {/* Keyed by the search in the address, so going back or forward shows that search. */}
          <SearchForm
            key={q}
            initial={q ?? ''}
            onSearch={(text) => update({ q: text.trim() || undefined })}
          />
          <label className="field field-inline">
            <span>Sort by</span>
            <select
              value={sort}
              onChange={(event) =>
                update({ sort: event.target.value === 'name' ? undefined : event.target.value })
              }
              data-testid="sort"
            >
              {SORTS.filter((option) => option.id !== 'rating' || offerRating).map((option) => (
                <option key={option.id} value={option.id}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>

      {listing.state === 'loading' && <Loading label="Loading products…" />}
      {listing.state === 'error' && (
        <ErrorMessage error={listing.error} title="We could not load the products" onRetry={listing.reload} />
      )}
      {listing.state === 'ready' && (
        <Results
          page={listing.data.data}
          asked={sort}
          search={q}
          categoryName={categoryName}
          onPage={(next) => update({ page: String(next) })}
        />
      )}
    </div>
  )
}

function SearchForm({ initial, onSearch }: { initial: string; onSearch: (text: string) => void }) {
  const [text, setText] = useState(initial)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    onSearch(text)
  }
  return (
    <form role="search" className="search" onSubmit={submit}>
      <label className="visually-hidden" htmlFor="search">
        Search products
      </label>
      <input
        id="search"
        type="search"
        placeholder="Search products"
        value={text}
        maxLength={100}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" className="button">
        Search
      </button>
    </form>
  )
}

interface ResultsProps {
  page: ProductPage<ShopProduct>
  asked: ProductSort
  search: string | undefined
  categoryName: (id: string) => string | undefined
  onPage: (page: number) => void
}

function Results({ page, asked, search, categoryName, onPage }: ResultsProps) {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize))
  return (
    <>
      {asked !== page.sort && (
        <p className="notice notice-info" role="status" data-testid="sort-fallback">
          Sorting by rating comes with product-catalog v2. This list was served by product-catalog v1, so it
          is sorted by name. Reload to try again.
        </p>
      )}
      <p className="results-summary" role="status">
        {search ? `${plural(page.total, 'product')} match “${search}”` : plural(page.total, 'product')}
      </p>
      {page.items.length === 0 ? (
        <div className="empty">
          <p>No products match{search ? ` “${search}”` : ''} here.</p>
          <Link to="/" className="button button-secondary">
            See all products
          </Link>
        </div>
      ) : (
        <ul className="product-grid" aria-label="Products">
          {page.items.map((product) => (
            <ProductCard key={product.id} product={product} categoryName={categoryName(product.category)} />
          ))}
        </ul>
      )}
      {pages > 1 && (
        <nav className="pagination" aria-label="Pages">
          <button
            type="button"
            className="button button-secondary"
            disabled={page.page <= 1}
            onClick={() => onPage(page.page - 1)}
          >
            Previous
          </button>
          <span>
            Page {page.page} of {pages}
          </span>
          <button
            type="button"
            className="button button-secondary"
            disabled={page.page >= pages}
            onClick={() => onPage(page.page + 1)}
          >
            Next
          </button>
        </nav>
      )}
    </>
  )
}
