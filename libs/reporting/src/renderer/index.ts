export * from './renderer.errors';
export * from './chromium-executable';
export * from './pdf-renderer';
export * from './report.renderer';
