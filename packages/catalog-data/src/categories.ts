export interface Category {
  id: string
  name: string
  description: string
}

export const categories: readonly Category[] = [
  {
    id: 'audio',
    name: 'Audio',
    description: 'Headphones, speakers and everything that makes a sound worth hearing.',
  },
  {
    id: 'computing',
    name: 'Computing',
    description: 'Keyboards, mice, docks and the small things that make a desk work.',
  },
  { id: 'home', name: 'Home & Kitchen', description: 'Coffee, cookware and calm for the rooms you live in.' },
  { id: 'outdoor', name: 'Outdoor', description: 'Gear for trails, campsites and long days outside.' },
  {
    id: 'fitness',
    name: 'Fitness',
    description: 'Equipment and trackers for training at home or on the road.',
  },
  {
    id: 'books',
    name: 'Books',
    description: 'Field guides and handbooks for people who build and operate systems.',
  },
]
