/** Fonts shipped in `templates/fonts/` (latin + latin-ext, 400/600/700) and inlined in reports. */
export const BUNDLED_FONTS = ['Inter', 'Source Sans 3', 'Montserrat', 'Merriweather', 'Lato'] as const;
export type BundledFont = (typeof BUNDLED_FONTS)[number];
export const DEFAULT_FONT: BundledFont = 'Inter';

/** File prefix in `templates/fonts/` (the @fontsource package id). */
export const FONT_FILE_PREFIX: Record<BundledFont, string> = {
  Inter: 'inter',
  'Source Sans 3': 'source-sans-3',
  Montserrat: 'montserrat',
  Merriweather: 'merriweather',
  Lato: 'lato',
};
