/**
 * The demo's logos, small inline SVGs (what an agency uploads as a data URI): the agency's on
 * every cover, each client's beside it.
 */
function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

export const DEMO_AGENCY_LOGO = svgDataUri(
  '<svg xmlns="http://www.w3.org/2000/svg" width="230" height="56" viewBox="0 0 230 56">' +
    '<rect x="0" y="6" width="44" height="44" rx="10" fill="#1f3a5f"/>' +
    '<path d="M12 40 L22 14 L32 40" stroke="#e07a5f" stroke-width="4" fill="none" stroke-linecap="round" stroke-linejoin="round"/>' +
    '<circle cx="22" cy="31" r="3" fill="#e07a5f"/>' +
    '<text x="56" y="36" font-family="Helvetica, Arial, sans-serif" font-size="22" font-weight="700" fill="#1f3a5f">Agence Pilote</text>' +
    '</svg>',
);

export const DEMO_SHOP_LOGO = svgDataUri(
  '<svg xmlns="http://www.w3.org/2000/svg" width="230" height="56" viewBox="0 0 230 56">' +
    '<circle cx="26" cy="24" r="14" fill="#f2b134"/>' +
    '<rect x="20" y="40" width="12" height="6" rx="2" fill="#3b3b3b"/>' +
    '<text x="52" y="34" font-family="Georgia, serif" font-size="21" fill="#3b3b3b">Maison Lumière</text>' +
    '</svg>',
);

export const DEMO_SAAS_LOGO = svgDataUri(
  '<svg xmlns="http://www.w3.org/2000/svg" width="180" height="56" viewBox="0 0 180 56">' +
    '<path d="M14 40 a10 10 0 0 1 2 -19 a13 13 0 0 1 24 -2 a9 9 0 0 1 4 21 z" fill="#2563eb"/>' +
    '<text x="54" y="36" font-family="Helvetica, Arial, sans-serif" font-size="23" font-weight="700" fill="#0f172a">Cloudly</text>' +
    '</svg>',
);
