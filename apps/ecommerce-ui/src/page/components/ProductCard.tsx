import { Link } from 'react-router'
import type { ShopProduct } from '../api/types'
import { formatPrice } from '../format'
import { Stars } from './Stars'

export function ProductCard({ product, categoryName }: { product: ShopProduct; categoryName?: string }) {
  return (
    <li className="card product-card" data-testid="product-card">
      <Link to={`/products/${product.id}`} className="product-card-link">
        <img src={product.image} alt="" width={320} height={240} loading="lazy" decoding="async" />
        <span className="product-card-name">{product.name}</span>
      </Link>
      {categoryName && <span className="product-card-category">{categoryName}</span>}
      <span className="product-card-footer">
        <span className="price">{formatPrice(product.price)}</span>
        {product.rating && <Stars rating={product.rating} />}
      </span>
    </li>
  )
}
