/** A rating as five stars, rounded to the nearest half, with its numbers for screen readers. */
export function Stars({ rating }: { rating: { average: number; count: number } }) {
  const halves = Math.round(rating.average * 2)
  const stars = Array.from({ length: 5 }, (_, index) =>
    halves >= (index + 1) * 2 ? 'full' : halves === index * 2 + 1 ? 'half' : 'empty',
  )
  return (
    <span className="stars" data-testid="rating">
      <span className="stars-icons" aria-hidden="true">
        {stars.map((kind, index) => (
          <span key={index} className={`star star-${kind}`}>
            ★
          </span>
        ))}
      </span>
      <span className="visually-hidden">
        Rated {rating.average.toFixed(1)} out of 5 by {rating.count} people
      </span>
      <span className="stars-text" aria-hidden="true">
        {rating.average.toFixed(1)} ({rating.count})
      </span>
    </span>
  )
}
