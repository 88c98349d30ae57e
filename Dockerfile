# syntax=docker/dockerfile:1
# Guest Access Bot: production image.
#   docker build -t guest-access-bot:0.1.0 .
#   docker run --rm -p 3978:3978 --env-file .env guest-access-bot:0.1.0
# Azure App Service sets PORT/WEBSITES_PORT=8080 through app settings (deploy/main.bicep).

# ---- build: compile TypeScript with the dev dependencies ------------------------------------
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: nothing the app needs runs install scripts, and no install step may download.
# So the `node` devDependency brings no binary here: the image's own Node 24 compiles.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
# The product only: tools/ (sandbox, fake connector, bench, packaging) and test/ are not in the context.
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies, compiled code and card templates only ---------------
FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY cards ./cards
# Files stay owned by root (read-only for the app); the process runs unprivileged.
USER node
EXPOSE 3978
# slim has no curl: ask Node itself. Uses $PORT when set (App Service: 8080), else 3978.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The heap flags V8 reads only at start-up: src/server/heapPolicy.ts (HEAP_START_FLAGS).
CMD ["node", "--max-semi-space-size=8", "dist/index.js"]
