import { Link } from 'react-router'
import { PageTitle } from '../components/PageTitle'

export function NotFoundPage() {
  return (
    <div className="narrow">
      <PageTitle>Page not found</PageTitle>
      <p>There is nothing at this address. The catalog is a good place to start again.</p>
      <Link to="/" className="button button-primary">
        Go to the catalog
      </Link>
    </div>
  )
}
