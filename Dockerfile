# Kept's production image on the current Node.js LTS: build once (the Remix app and the compiled
# server), then run the same compiled server `npm start` runs, with plain node.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# The operator commands are compiled too: `docker compose exec app node build/kept-migrate.js`
# (or kept-import.js / kept-demo.js); the image holds no TypeScript loader (tsx is a devDependency).
# node itself is PID 1's child of nothing: it receives SIGTERM directly and drains.
# The two heap flags keep the server near its live objects rather than 2-4× them (ADR 0040;
# scripts/server-node-flags.mjs says why each, and its test keeps this line in step).
CMD ["node", "--enable-source-maps", "--max-semi-space-size=8", "--heap-growing-percent=50", "build/kept-server.js"]
