/**
 * Word tables for normalisation. Expansions are lower-case word lists because the
 * normaliser's output is lower-case (espeak reads "I am" and "i am" differently,
 * so one case keeps training and serving identical).
 */

/** Abbreviations written with a final period. `end`: may also close a sentence. */
export const ABBREVIATIONS: Record<string, { words: string; end?: boolean }> = {
  dr: { words: "doctor" }, mr: { words: "mister" }, mrs: { words: "missus" },
  ms: { words: "miz" }, prof: { words: "professor" }, st: { words: "saint" },
  jr: { words: "junior", end: true }, sr: { words: "senior", end: true },
  gen: { words: "general" }, gov: { words: "governor" }, sen: { words: "senator" },
  rep: { words: "representative" }, capt: { words: "captain" }, lt: { words: "lieutenant" },
  col: { words: "colonel" }, sgt: { words: "sergeant" }, rev: { words: "reverend" },
  mt: { words: "mount" }, ave: { words: "avenue", end: true }, blvd: { words: "boulevard", end: true },
  rd: { words: "road", end: true }, etc: { words: "et cetera", end: true },
  vs: { words: "versus" }, approx: { words: "approximately" }, ca: { words: "circa" }, apt: { words: "apartment" }, dept: { words: "department", end: true },
  inc: { words: "incorporated", end: true }, ltd: { words: "limited", end: true },
  co: { words: "company", end: true }, corp: { words: "corporation", end: true },
  no: { words: "number" }, vol: { words: "volume" }, fig: { words: "figure" },
  jan: { words: "january" }, feb: { words: "february" }, mar: { words: "march" },
  apr: { words: "april" }, jun: { words: "june" }, jul: { words: "july" },
  aug: { words: "august" }, sep: { words: "september" }, sept: { words: "september" },
  oct: { words: "october" }, nov: { words: "november" }, dec: { words: "december" },
  mon: { words: "monday" }, tue: { words: "tuesday" }, tues: { words: "tuesday" }, wed: { words: "wednesday" },
  thu: { words: "thursday" }, thur: { words: "thursday" }, thurs: { words: "thursday" }, fri: { words: "friday" }, sat: { words: "saturday" }, sun: { words: "sunday" },
};

/** Dotted abbreviations (letters and periods), keyed without periods, lower-case. */
export const DOTTED: Record<string, { words: string; end?: boolean }> = {
  eg: { words: "for example" }, ie: { words: "that is" }, am: { words: "a m", end: true },
  pm: { words: "p m", end: true }, etc: { words: "et cetera", end: true },
};

/** Units after a number: [singular, plural]. Case matters (m vs M, mb vs MB). */
export const UNITS: Record<string, [string, string]> = {
  km: ["kilometer", "kilometers"], m: ["meter", "meters"], cm: ["centimeter", "centimeters"],
  mm: ["millimeter", "millimeters"], mi: ["mile", "miles"], ft: ["foot", "feet"],
  yd: ["yard", "yards"], kg: ["kilogram", "kilograms"], g: ["gram", "grams"],
  mg: ["milligram", "milligrams"], lb: ["pound", "pounds"], lbs: ["pound", "pounds"],
  oz: ["ounce", "ounces"], l: ["liter", "liters"], L: ["liter", "liters"],
  ml: ["milliliter", "milliliters"], mL: ["milliliter", "milliliters"],
  mph: ["mile per hour", "miles per hour"], kph: ["kilometer per hour", "kilometers per hour"],
  "km/h": ["kilometer per hour", "kilometers per hour"], h: ["hour", "hours"],
  hr: ["hour", "hours"], hrs: ["hour", "hours"], min: ["minute", "minutes"],
  mins: ["minute", "minutes"], s: ["second", "seconds"], sec: ["second", "seconds"],
  ms: ["millisecond", "milliseconds"], kb: ["kilobyte", "kilobytes"], KB: ["kilobyte", "kilobytes"],
  MB: ["megabyte", "megabytes"], GB: ["gigabyte", "gigabytes"], TB: ["terabyte", "terabytes"],
  Hz: ["hertz", "hertz"], kHz: ["kilohertz", "kilohertz"], MHz: ["megahertz", "megahertz"],
  GHz: ["gigahertz", "gigahertz"], W: ["watt", "watts"], kW: ["kilowatt", "kilowatts"],
  kWh: ["kilowatt hour", "kilowatt hours"], V: ["volt", "volts"], A: ["amp", "amps"],
  "°C": ["degree celsius", "degrees celsius"], "°F": ["degree fahrenheit", "degrees fahrenheit"],
  "°": ["degree", "degrees"],
};

/** Currency symbols and codes: [singular, plural, cent singular, cent plural]. */
export const CURRENCIES: Record<string, [string, string, string, string]> = {
  $: ["dollar", "dollars", "cent", "cents"], USD: ["dollar", "dollars", "cent", "cents"],
  "€": ["euro", "euros", "cent", "cents"], EUR: ["euro", "euros", "cent", "cents"],
  "£": ["pound", "pounds", "penny", "pence"], GBP: ["pound", "pounds", "penny", "pence"],
  "¥": ["yen", "yen", "sen", "sen"], JPY: ["yen", "yen", "sen", "sen"],
  "₹": ["rupee", "rupees", "paisa", "paise"],
};

/** Scale words that may follow an amount ("$5 million", "$3bn"). */
export const SCALE_WORDS: Record<string, string> = {
  thousand: "thousand", million: "million", billion: "billion", trillion: "trillion",
  k: "thousand", m: "million", mn: "million", bn: "billion", b: "billion",
};

export const MONTHS = [
  "january", "february", "march", "april", "may", "june", "july", "august",
  "september", "october", "november", "december",
];

/** Symbols read aloud when they stand alone. */
export const SYMBOLS: Record<string, string> = {
  "&": "and", "+": "plus", "=": "equals", "@": "at", "%": "percent", "#": "number",
  "×": "times", "°": "degrees", "<": "less than", ">": "greater than", "~": "about",
  "±": "plus or minus", "≈": "approximately", "≤": "less than or equal to",
  "≥": "greater than or equal to", "÷": "divided by",
};

/** Vulgar fraction characters as numerator/denominator. */
export const VULGAR_FRACTIONS: Record<string, string> = {
  "¼": "1/4", "½": "1/2", "¾": "3/4", "⅓": "1/3", "⅔": "2/3", "⅛": "1/8", "⅜": "3/8", "⅝": "5/8", "⅞": "7/8",
};

/** Scale letters glued to a number: "10K stars", "1.5M users", "$2B". */
export const GLUED_SCALES: Record<string, string> = { K: "thousand", M: "million", B: "billion", bn: "billion", mn: "million" };

/** All-caps tokens read as words, not spelled (most acronyms are spelled). */
export const WORD_ACRONYMS = new Set([
  "NASA", "NATO", "UNESCO", "UNICEF", "FIFA", "OPEC", "NAFTA", "LASER", "RADAR", "SCUBA",
  "AIDS", "COVID", "GIF", "JPEG", "PIN", "RAM", "ROM", "SIM", "ASCII", "WAN", "LAN",
  "CAPTCHA", "POSIX", "UNIX", "LINUX", "ISO", "OK", "IKEA", "ZIP", "NASDAQ",
]);

/** Letter names for spelling; "a" alone would be read as the article. */
export const LETTER_NAMES: Record<string, string> = { a: "eh" };
