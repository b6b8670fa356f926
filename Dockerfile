# Production image of the migrate step, the api and the worker: one image, three commands (see
# docker-compose.yml).
#   docker build -t pilotage .
#   docker run ... pilotage node dist/libs/database/src/migrate.cli.js   (migrations, DATABASE_OWNER_URL)
#   docker run ... pilotage                                              (the API, the default command)
#   docker run ... pilotage node dist/apps/worker/src/main.js            (the worker)

# Build stage: every dependency (TypeScript, tsc-alias), compiles apps and libs to dist/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# Runtime stage: production dependencies only, the compiled JavaScript, the report templates
# (with their bundled fonts), and Debian's Chromium headless shell to render the PDFs.
FROM node:24-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium-headless-shell fonts-dejavu-core ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# The shell's binary, not the /usr/bin wrapper (it does not exec the browser: Puppeteer would
# hold, watch and kill the wrapper instead); `dpkg -L chromium-headless-shell` lists it.
ENV NODE_ENV=production \
    CHROMIUM_PATH=/usr/lib/chromium/chromium-headless-shell \
    STORAGE_DIR=/var/lib/pilotage/reports
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && mkdir -p /var/lib/pilotage/reports \
 && chown node:node /var/lib/pilotage/reports
COPY --from=build /app/dist ./dist
COPY templates ./templates
# The code and its dependencies stay root-owned and read-only to the process; it writes only
# the reports directory (a volume in docker-compose.yml) and /tmp (Chromium's profile). Not root,
# so Chromium runs with its sandbox where the container allows user namespaces (README, Processes).
USER node
EXPOSE 3000
# Plain node, not `npm run`: node receives SIGTERM from `docker stop` and shuts down gracefully.
CMD ["node", "dist/apps/api/src/main.js"]
