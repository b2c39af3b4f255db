import type { ReactNode } from 'react'
import { createBrowserRouter } from 'react-router'
import { Layout } from './components/Layout'
import { RequireSignIn } from './components/RequireSignIn'
import { AccountPage } from './pages/AccountPage'
import { CartPage } from './pages/CartPage'
import { CatalogPage } from './pages/CatalogPage'
import { CheckoutPage } from './pages/CheckoutPage'
import { NotFoundPage } from './pages/NotFoundPage'
import { OrderPage } from './pages/OrderPage'
import { OrdersPage } from './pages/OrdersPage'
import { ProductPage } from './pages/ProductPage'
import { ShippingPage } from './pages/ShippingPage'
import { SignInPage } from './pages/SignInPage'
import { SignUpPage } from './pages/SignUpPage'
import { SupportPage } from './pages/SupportPage'
import { CrashPage } from './pages/CrashPage'
import { MeshPage } from './pages/MeshPage'

const signedIn = (page: ReactNode) => <RequireSignIn>{page}</RequireSignIn>

export const routes = createBrowserRouter([
  {
    path: '/',
    element: <Layout />,
    errorElement: <CrashPage />,
    children: [
      { index: true, element: <CatalogPage /> },
      { path: 'products/:id', element: <ProductPage /> },
      { path: 'cart', element: <CartPage /> },
      { path: 'checkout', element: signedIn(<CheckoutPage />) },
      { path: 'orders', element: signedIn(<OrdersPage />) },
      { path: 'orders/:id', element: signedIn(<OrderPage />) },
      { path: 'signin', element: <SignInPage /> },
      { path: 'signup', element: <SignUpPage /> },
      { path: 'account', element: signedIn(<AccountPage />) },
      { path: 'shipping', element: <ShippingPage /> },
      { path: 'support', element: <SupportPage /> },
      { path: 'mesh', element: <MeshPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
])
