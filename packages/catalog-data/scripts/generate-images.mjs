// Draws the product illustrations in images/products/ (committed; run again after adding products).
// Each picture is the category's icon on the category's colours, varied per product so no two look alike.
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { products, productImagesDir } from '../dist/index.js'

const palettes = {
  audio: ['#312e81', '#7c3aed'],
  computing: ['#0f172a', '#0ea5e9'],
  home: ['#7c2d12', '#f59e0b'],
  outdoor: ['#14532d', '#22c55e'],
  fitness: ['#881337', '#f43f5e'],
  books: ['#1e3a8a', '#38bdf8'],
}

const icons = {
  audio: `<path d="M-70 20 v-20 a70 70 0 0 1 140 0 v20" fill="none" stroke="#fff" stroke-width="14" stroke-linecap="round"/>
    <rect x="-88" y="10" width="36" height="62" rx="14" fill="#fff"/><rect x="52" y="10" width="36" height="62" rx="14" fill="#fff"/>`,
  computing: `<rect x="-95" y="-55" width="190" height="115" rx="12" fill="#fff"/>
    <rect x="-82" y="-42" width="164" height="89" rx="6" fill="#0f172a" opacity=".85"/>
    <rect x="-30" y="62" width="60" height="10" fill="#fff"/><rect x="-60" y="72" width="120" height="10" rx="5" fill="#fff"/>`,
  home: `<path d="M-60 -40 h100 v70 a40 40 0 0 1 -40 40 h-20 a40 40 0 0 1 -40 -40 z" fill="#fff"/>
    <path d="M40 -20 h14 a22 22 0 0 1 0 44 h-14" fill="none" stroke="#fff" stroke-width="12"/>
    <path d="M-35 -60 q10 -15 0 -30 M-10 -60 q10 -15 0 -30 M15 -60 q10 -15 0 -30" stroke="#fff" stroke-width="6" fill="none" stroke-linecap="round"/>`,
  outdoor: `<path d="M-110 70 L-40 -40 L0 20 L40 -60 L110 70 Z" fill="#fff"/>
    <path d="M40 -60 L58 -32 L40 -40 L22 -32 Z" fill="#14532d" opacity=".5"/>
    <circle cx="-70" cy="-60" r="18" fill="#fff" opacity=".9"/>`,
  fitness: `<rect x="-70" y="-8" width="140" height="16" rx="8" fill="#fff"/>
    <rect x="-100" y="-45" width="26" height="90" rx="8" fill="#fff"/><rect x="74" y="-45" width="26" height="90" rx="8" fill="#fff"/>
    <rect x="-122" y="-30" width="18" height="60" rx="6" fill="#fff"/><rect x="104" y="-30" width="18" height="60" rx="6" fill="#fff"/>`,
  books: `<path d="M0 -50 C-30 -70 -70 -70 -100 -55 V65 C-70 50 -30 50 0 70 Z" fill="#fff"/>
    <path d="M0 -50 C30 -70 70 -70 100 -55 V65 C70 50 30 50 0 70 Z" fill="#dbeafe"/>
    <path d="M-80 -30 h55 M-80 -10 h55 M-80 10 h45 M25 -30 h55 M25 -10 h55 M25 10 h45" stroke="#1e3a8a" stroke-width="5" opacity=".5"/>`,
}

function escape(text) {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

function illustration(product) {
  const digest = createHash('sha256').update(product.id).digest()
  const [from, to] = palettes[product.category]
  const angle = digest[0] % 360
  const bubbles = [1, 4, 7, 10]
    .map((i) => {
      const cx = (digest[i] / 255) * 400
      const cy = (digest[i + 1] / 255) * 300
      const r = 20 + (digest[i + 2] % 60)
      return `<circle cx="${cx.toFixed(0)}" cy="${cy.toFixed(0)}" r="${r}" fill="#fff" opacity=".08"/>`
    })
    .join('')
  const tilt = (digest[13] % 17) - 8
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300" role="img" aria-label="${escape(product.name)}">
  <defs><linearGradient id="g" gradientTransform="rotate(${angle} .5 .5)"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
  <rect width="400" height="300" fill="url(#g)"/>
  ${bubbles}
  <g transform="translate(200 130) rotate(${tilt}) scale(0.95)">${icons[product.category]}</g>
  <text x="200" y="270" text-anchor="middle" font-family="system-ui, sans-serif" font-size="18" font-weight="600" fill="#fff">${escape(product.name)}</text>
</svg>
`
}

mkdirSync(productImagesDir, { recursive: true })
for (const product of products) writeFileSync(`${productImagesDir}${product.id}.svg`, illustration(product))
console.log(`wrote ${products.length} images to ${productImagesDir}`)
