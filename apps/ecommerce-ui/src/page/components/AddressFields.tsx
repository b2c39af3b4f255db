import { useId } from 'react'
import type { Address } from '../api/types'
import { COUNTRIES } from '../constants'

/** An address as a form holds it: every field a string, optional ones empty. */
export interface AddressForm {
  line1: string
  line2: string
  city: string
  region: string
  postalCode: string
  country: string
}

export const emptyAddress: AddressForm = {
  line1: '',
  line2: '',
  city: '',
  region: '',
  postalCode: '',
  country: 'US',
}

export function fromAddress(address: Address | undefined): AddressForm {
  return address ? { ...emptyAddress, ...address } : emptyAddress
}

/** The address to send: trimmed, optional fields left out when empty. */
export function toAddress(form: AddressForm): Address {
  const address: Address = {
    line1: form.line1.trim(),
    city: form.city.trim(),
    postalCode: form.postalCode.trim(),
    country: form.country,
  }
  if (form.line2.trim()) address.line2 = form.line2.trim()
  if (form.region.trim()) address.region = form.region.trim()
  return address
}

interface Props {
  value: AddressForm
  /** Takes an update of the previous value, like a state setter: autofill changes several fields before a re-render. */
  onChange: (update: (previous: AddressForm) => AddressForm) => void
  /** False where an address is optional (the profile): then no field is required until one is filled. */
  required?: boolean
}

export function AddressFields({ value, onChange, required = true }: Props) {
  const id = useId()
  const field = (name: keyof AddressForm, label: string, props: Record<string, unknown> = {}) => (
    <div className="field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        name={name}
        value={value[name]}
        onChange={(event) => {
          const next = event.target.value
          onChange((previous) => ({ ...previous, [name]: next }))
        }}
        {...props}
      />
    </div>
  )
  return (
    <div className="address-fields">
      {field('line1', 'Street and number', { required, maxLength: 120, autoComplete: 'address-line1' })}
      {field('line2', 'Apartment, suite (optional)', { maxLength: 120, autoComplete: 'address-line2' })}
      <div className="field-row">
        {field('city', 'City', { required, maxLength: 80, autoComplete: 'address-level2' })}
        {field('region', 'State or region (optional)', { maxLength: 80, autoComplete: 'address-level1' })}
      </div>
      <div className="field-row">
        {field('postalCode', 'Postal code', {
          required,
          minLength: 2,
          maxLength: 12,
          pattern: '[A-Za-z0-9 \\-]+',
          autoComplete: 'postal-code',
        })}
        <div className="field">
          <label htmlFor={`${id}-country`}>Country</label>
          <select
            id={`${id}-country`}
            name="country"
            value={value.country}
            onChange={(event) => {
              const country = event.target.value
              onChange((previous) => ({ ...previous, country }))
            }}
            autoComplete="country"
          >
            {COUNTRIES.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </div>
    </div>
  )
}
