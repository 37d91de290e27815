/**
 * Word lists for the demo catalog: real shop vocabulary, so full-text search, filters and sorts
 * behave in the demo as they would in a real store ("jacket", "coffee", "merino" all find things).
 */

export interface VariantKind {
  titles: string[];
  /** price multiplier per title, same order */
  factors: number[];
}

export interface DemoItem {
  noun: string;
  /** USD, whole units */
  price: [number, number];
  kind: keyof typeof VARIANT_KINDS;
}

export interface DemoCategory {
  slug: string;
  name: string;
  items: DemoItem[];
  adjectives: string[];
  materials: string[];
  features: string[];
}

export const VARIANT_KINDS = {
  size: { titles: ['Size S', 'Size M', 'Size L', 'Size XL'], factors: [1, 1, 1.05, 1.1] },
  shoe: { titles: ['EU 40', 'EU 42', 'EU 44'], factors: [1, 1, 1] },
  color: { titles: ['Black', 'Navy', 'Olive', 'Sand'], factors: [1, 1, 1.05, 1.05] },
  weight: { titles: ['250 g', '500 g', '1 kg'], factors: [1, 1.8, 3.2] },
  capacity: { titles: ['500 ml', '750 ml', '1 L'], factors: [1, 1.2, 1.4] },
  pack: { titles: ['Single', 'Pack of 2', 'Pack of 4'], factors: [1, 1.85, 3.4] },
  edition: { titles: ['Standard', 'Deluxe', 'Gift Edition'], factors: [1, 1.35, 1.6] },
} satisfies Record<string, VariantKind>;

export const DEMO_CATEGORIES: DemoCategory[] = [
  {
    slug: 'outerwear',
    name: 'Outerwear',
    items: [
      { noun: 'Rain Jacket', price: [79, 189], kind: 'size' },
      { noun: 'Down Jacket', price: [129, 299], kind: 'size' },
      { noun: 'Parka', price: [159, 349], kind: 'size' },
      { noun: 'Softshell Jacket', price: [89, 179], kind: 'size' },
      { noun: 'Fleece Vest', price: [49, 99], kind: 'size' },
      { noun: 'Windbreaker', price: [59, 129], kind: 'size' },
    ],
    adjectives: ['Alpine', 'Summit', 'Coastal', 'Harbor', 'Nordic', 'Ridge', 'Storm', 'Trail'],
    materials: ['Waterproof', 'Recycled Nylon', 'Insulated', 'Packable', 'Lightweight', 'Quilted'],
    features: ['Taped seams keep the rain out on long days', 'An adjustable hood fits over a helmet', 'Zippered hand pockets keep your phone dry', 'It packs into its own chest pocket'],
  },
  {
    slug: 'tops',
    name: 'Tops & Knitwear',
    items: [
      { noun: 'Hoodie', price: [49, 99], kind: 'size' },
      { noun: 'Crewneck Sweater', price: [59, 139], kind: 'size' },
      { noun: 'T-Shirt', price: [19, 45], kind: 'size' },
      { noun: 'Flannel Shirt', price: [45, 89], kind: 'size' },
      { noun: 'Henley', price: [35, 69], kind: 'size' },
      { noun: 'Cardigan', price: [69, 149], kind: 'size' },
    ],
    adjectives: ['Everyday', 'Weekend', 'Classic', 'Heritage', 'Studio', 'Cabin', 'Relaxed', 'Essential'],
    materials: ['Merino Wool', 'Organic Cotton', 'Brushed Cotton', 'Cashmere Blend', 'Linen', 'Heavyweight'],
    features: ['Pre-washed so it will not shrink', 'A relaxed fit that layers easily', 'Ribbed cuffs hold their shape wash after wash', 'Soft enough to wear straight against the skin'],
  },
  {
    slug: 'footwear',
    name: 'Footwear',
    items: [
      { noun: 'Running Shoes', price: [89, 169], kind: 'shoe' },
      { noun: 'Hiking Boots', price: [119, 229], kind: 'shoe' },
      { noun: 'Sneakers', price: [69, 139], kind: 'shoe' },
      { noun: 'Chelsea Boots', price: [129, 249], kind: 'shoe' },
      { noun: 'Sandals', price: [39, 89], kind: 'shoe' },
      { noun: 'Loafers', price: [89, 179], kind: 'shoe' },
    ],
    adjectives: ['Urban', 'Trail', 'Canyon', 'Metro', 'Harbor', 'Summit', 'Drift', 'Tempo'],
    materials: ['Leather', 'Suede', 'Knit', 'Waterproof', 'Vegan Leather', 'Canvas'],
    features: ['A cushioned footbed for all-day comfort', 'Grippy rubber soles handle wet pavement', 'Resoleable construction lasts for years', 'Breathable lining keeps feet cool'],
  },
  {
    slug: 'bags-accessories',
    name: 'Bags & Accessories',
    items: [
      { noun: 'Backpack', price: [59, 179], kind: 'color' },
      { noun: 'Tote Bag', price: [29, 89], kind: 'color' },
      { noun: 'Wallet', price: [29, 79], kind: 'color' },
      { noun: 'Belt', price: [25, 69], kind: 'color' },
      { noun: 'Beanie', price: [19, 45], kind: 'color' },
      { noun: 'Sunglasses', price: [49, 149], kind: 'color' },
    ],
    adjectives: ['Commuter', 'Weekender', 'Field', 'Metro', 'Voyager', 'Classic', 'Minimal', 'Rover'],
    materials: ['Waxed Canvas', 'Full-Grain Leather', 'Recycled Polyester', 'Ripstop', 'Wool', 'Cork'],
    features: ['A padded sleeve fits a 16-inch laptop', 'Hand-stitched edges that age beautifully', 'Weather-resistant fabric shrugs off drizzle', 'Slim enough for a front pocket'],
  },
  {
    slug: 'coffee-tea',
    name: 'Coffee & Tea',
    items: [
      { noun: 'Coffee Beans', price: [12, 29], kind: 'weight' },
      { noun: 'Espresso Roast Coffee', price: [13, 27], kind: 'weight' },
      { noun: 'Decaf Coffee', price: [12, 24], kind: 'weight' },
      { noun: 'Green Tea', price: [8, 22], kind: 'weight' },
      { noun: 'Black Tea', price: [8, 19], kind: 'weight' },
      { noun: 'Cold Brew Coffee Kit', price: [24, 49], kind: 'edition' },
    ],
    adjectives: ['Single-Origin', 'House', 'Morning', 'Highland', 'Sunrise', 'Estate', 'Harvest', 'Roaster\u2019s'],
    materials: ['Ethiopian', 'Colombian', 'Guatemalan', 'Kenyan', 'Darjeeling', 'Organic'],
    features: ['Notes of dark chocolate, cherry and brown sugar', 'Roasted in small batches every week', 'Fairly traded, direct from the farm', 'Brews a bright, clean cup as pour-over or espresso'],
  },
  {
    slug: 'kitchen',
    name: 'Kitchen',
    items: [
      { noun: 'Chef\u2019s Knife', price: [49, 189], kind: 'edition' },
      { noun: 'Skillet', price: [35, 99], kind: 'edition' },
      { noun: 'Dutch Oven', price: [79, 299], kind: 'color' },
      { noun: 'Cutting Board', price: [29, 89], kind: 'edition' },
      { noun: 'Pour-Over Coffee Dripper', price: [19, 49], kind: 'color' },
      { noun: 'Mixing Bowl Set', price: [29, 79], kind: 'pack' },
    ],
    adjectives: ['Pro', 'Farmhouse', 'Bistro', 'Heirloom', 'Everyday', 'Artisan', 'Copper Creek', 'Baker\u2019s'],
    materials: ['Stainless Steel', 'Enameled', 'Cast Iron', 'Carbon Steel', 'Ceramic', 'Tri-Ply'],
    features: ['Dishwasher safe and oven safe to 260 \u00b0C', 'Holds its edge through months of daily prep', 'Heats evenly for a perfect sear', 'Finished by hand in a family workshop'],
  },
  {
    slug: 'home-decor',
    name: 'Home & Decor',
    items: [
      { noun: 'Throw Blanket', price: [49, 149], kind: 'color' },
      { noun: 'Scented Candle', price: [18, 48], kind: 'pack' },
      { noun: 'Table Lamp', price: [59, 189], kind: 'color' },
      { noun: 'Cushion Cover', price: [19, 49], kind: 'pack' },
      { noun: 'Ceramic Vase', price: [29, 99], kind: 'color' },
      { noun: 'Wall Clock', price: [35, 119], kind: 'color' },
    ],
    adjectives: ['Nordic', 'Coastal', 'Cozy', 'Modern', 'Rustic', 'Haven', 'Meadow', 'Lumen'],
    materials: ['Wool', 'Linen', 'Stoneware', 'Oak', 'Soy Wax', 'Brass'],
    features: ['Adds warmth to a reading corner', 'Made in small runs by independent makers', 'Neutral tones that suit any room', 'Burns cleanly for up to 50 hours'],
  },
  {
    slug: 'electronics',
    name: 'Electronics',
    items: [
      { noun: 'Wireless Earbuds', price: [49, 199], kind: 'color' },
      { noun: 'Bluetooth Speaker', price: [39, 179], kind: 'color' },
      { noun: 'Power Bank', price: [25, 79], kind: 'capacity' },
      { noun: 'USB-C Charger', price: [19, 59], kind: 'pack' },
      { noun: 'Noise-Cancelling Headphones', price: [129, 349], kind: 'color' },
      { noun: 'Smartwatch', price: [99, 299], kind: 'color' },
    ],
    adjectives: ['Pulse', 'Nova', 'Echo', 'Volt', 'Orbit', 'Aero', 'Flux', 'Zen'],
    materials: ['Compact', 'Water-Resistant', 'Fast-Charging', 'Studio-Grade', 'Ultra-Slim', 'Rugged'],
    features: ['Up to 30 hours of battery life', 'Pairs instantly with phones and laptops', 'Charges from flat to full in under an hour', 'Tuned for deep bass and clear vocals'],
  },
  {
    slug: 'outdoor-camping',
    name: 'Outdoor & Camping',
    items: [
      { noun: 'Camping Tent', price: [149, 499], kind: 'edition' },
      { noun: 'Sleeping Bag', price: [89, 299], kind: 'edition' },
      { noun: 'Headlamp', price: [25, 69], kind: 'color' },
      { noun: 'Camp Stove', price: [49, 149], kind: 'edition' },
      { noun: 'Water Bottle', price: [19, 45], kind: 'capacity' },
      { noun: 'Trekking Poles', price: [49, 139], kind: 'pack' },
    ],
    adjectives: ['Backcountry', 'Basecamp', 'Ridgeline', 'Wild', 'Timberline', 'Canyon', 'Northstar', 'Summit'],
    materials: ['Ultralight', 'Insulated', 'Titanium', 'Three-Season', 'Recycled', 'Stormproof'],
    features: ['Sets up in under five minutes', 'Weighs less than a loaf of bread', 'Tested on long routes in foul weather', 'Packs down small for multi-day trips'],
  },
  {
    slug: 'fitness',
    name: 'Fitness',
    items: [
      { noun: 'Yoga Mat', price: [29, 99], kind: 'color' },
      { noun: 'Dumbbell Set', price: [49, 199], kind: 'edition' },
      { noun: 'Resistance Bands', price: [15, 45], kind: 'pack' },
      { noun: 'Foam Roller', price: [19, 49], kind: 'color' },
      { noun: 'Jump Rope', price: [12, 35], kind: 'color' },
      { noun: 'Kettlebell', price: [35, 119], kind: 'edition' },
    ],
    adjectives: ['Core', 'Flow', 'Studio', 'Power', 'Balance', 'Endurance', 'Motion', 'Peak'],
    materials: ['Non-Slip', 'Natural Rubber', 'Cast Iron', 'Cork', 'High-Density', 'Adjustable'],
    features: ['Grips firmly even during hot sessions', 'Built for daily training at home', 'Easy to store in a small apartment', 'Recommended by physiotherapists for recovery'],
  },
  {
    slug: 'beauty-care',
    name: 'Beauty & Personal Care',
    items: [
      { noun: 'Face Serum', price: [19, 69], kind: 'capacity' },
      { noun: 'Shampoo Bar', price: [9, 19], kind: 'pack' },
      { noun: 'Hand Cream', price: [9, 29], kind: 'pack' },
      { noun: 'Beard Oil', price: [14, 35], kind: 'capacity' },
      { noun: 'Lip Balm', price: [5, 14], kind: 'pack' },
      { noun: 'Body Wash', price: [9, 24], kind: 'capacity' },
    ],
    adjectives: ['Daily', 'Botanical', 'Pure', 'Calm', 'Glow', 'Nourishing', 'Fresh', 'Gentle'],
    materials: ['Vitamin C', 'Lavender', 'Shea Butter', 'Aloe Vera', 'Argan Oil', 'Unscented'],
    features: ['Vegan and cruelty-free', 'Gentle enough for sensitive skin', 'Packaged in recyclable glass', 'A little goes a long way'],
  },
  {
    slug: 'books-stationery',
    name: 'Books & Stationery',
    items: [
      { noun: 'Dotted Notebook', price: [12, 35], kind: 'pack' },
      { noun: 'Fountain Pen', price: [25, 149], kind: 'color' },
      { noun: 'Weekly Planner', price: [15, 39], kind: 'edition' },
      { noun: 'Sketchbook', price: [12, 39], kind: 'pack' },
      { noun: 'Desk Organizer', price: [25, 79], kind: 'color' },
      { noun: 'Cookbook', price: [19, 49], kind: 'edition' },
    ],
    adjectives: ['Studio', 'Atelier', 'Scholar', 'Field', 'Daybook', 'Archive', 'Inkwell', 'Journeyman'],
    materials: ['Hardcover', 'Recycled Paper', 'Linen-Bound', 'Brass', 'Walnut', 'Softcover'],
    features: ['Fountain-pen friendly paper that never bleeds', 'Lies flat on the desk', 'Thoughtfully designed for daily planning', 'A lovely gift for makers and writers'],
  },
];

export const CLOSINGS = [
  'Ships in plastic-free packaging.',
  'Covered by our two-year warranty.',
  'Free returns within 30 days.',
  'Designed to be repaired, not replaced.',
  'A customer favourite since launch.',
];
