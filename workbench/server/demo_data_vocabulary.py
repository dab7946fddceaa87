"""Names, places, pages and products the demo data draws from (the "Hogflix" product)."""

from __future__ import annotations

FIRST_NAMES = [
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Mateo",
    "Sofia",
    "Lucas",
    "Mia",
    "Ethan",
    "Amara",
    "Hiro",
    "Priya",
    "Lars",
    "Chloe",
    "Diego",
    "Zoe",
    "Ivan",
    "Fatima",
    "Jonas",
    "Aisha",
    "Tom",
    "Yuki",
    "Elena",
]
"""First names of persons (uniform)."""
LAST_NAMES = [
    "Smith",
    "Garcia",
    "Müller",
    "Kowalski",
    "Nguyen",
    "Patel",
    "Rossi",
    "Kim",
    "Jensen",
    "Silva",
    "Dubois",
    "Okafor",
    "Tanaka",
    "Novak",
    "Brown",
    "Lopez",
]
"""Last names of persons (uniform)."""
COMPANIES = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Wonka",
    "Cyberdyne",
    "Soylent",
    "Tyrell",
    "Aperture",
    "Black Mesa",
    "Vandelay",
    "Pied Piper",
    "Massive Dynamic",
    "Oscorp",
    "Gringotts",
    "Monarch",
    "Dunder Mifflin",
]
"""Employers of identified persons; each is also a group (organisation)."""
INDUSTRIES = ["Software", "Media", "Retail", "Finance", "Health", "Education"]
"""Group property ``industry``, assigned round-robin."""
PLANS = (["free", "starter", "pro", "enterprise"], [55, 22, 17, 6])
"""Person plans and their weights: most users stay on free."""
COUNTRIES = (
    ["US", "GB", "DE", "FR", "IN", "BR", "CA", "AU", "NL", "ES", "JP", "PL", "SE", "MX"],
    [38, 10, 9, 6, 8, 6, 5, 4, 4, 3, 3, 2, 1, 1],
)
"""``$geoip_country_code`` and weights, US-heavy like most SaaS traffic."""
PATHS = (
    [
        "/",
        "/pricing",
        "/features",
        "/blog",
        "/blog/how-we-built-hogflix",
        "/blog/streaming-at-scale",
        "/blog/product-analytics-101",
        "/docs",
        "/docs/getting-started",
        "/docs/api",
        "/signup",
        "/login",
        "/browse",
        "/browse/comedy",
        "/browse/drama",
        "/watch",
        "/account",
        "/account/billing",
        "/about",
        "/careers",
    ],
    [14, 8, 5, 4, 3, 3, 2, 4, 3, 2, 3, 4, 12, 5, 5, 10, 3, 2, 2, 1],
)
"""Site and app pages with view weights; entry pages depend on the channel."""
CHANNELS = (
    ["direct", "google", "twitter", "linkedin", "newsletter", "google_ads", "github", "hackernews"],
    [35, 28, 6, 5, 8, 9, 4, 5],
)
"""Acquisition channels and weights; they set referrer and UTM tags."""
FLAGS = ["new-player", "recommendations-v2", "dark-mode", "checkout-redesign"]
"""Feature flags behind ``$feature_flag_called`` events."""
TITLES = [
    "Hedgehog Heist",
    "The Last Burrow",
    "Quills of Fury",
    "Midnight Forage",
    "Prickly Business",
    "Hog Wild",
    "Spines & Needles",
    "The Hoggit",
]
"""Video titles, Zipf-like weights for topK-style queries."""
GENRES = ["Comedy", "Drama", "Action", "Documentary", "Thriller"]
"""Video genres."""
SEARCHES = ["hedgehog", "comedy", "new releases", "documentary", "hog wild", "thriller"]
"""Search queries."""
ELEMENTS = [
    'button.btn.btn-primary:attr__class="btn btn-primary"nth-child="1"nth-of-type="1"text="Play"',
    'a.nav-link:attr__href="/pricing"href="/pricing"nth-child="2"nth-of-type="2"text="Pricing"',
    'button.signup:attr__class="signup"nth-child="1"nth-of-type="1"text="Sign up free"',
    'input.search:attr__class="search"attr__type="text"nth-child="1"nth-of-type="1"',
    'div.card.movie:attr__class="card movie"nth-child="3"nth-of-type="3"text="Watch now"',
]
"""``elements_chain`` values of autocapture events, in PostHog's chain format."""
