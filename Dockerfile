# Vigil on the current Node LTS. Build stage compiles TypeScript; the runtime
# stage holds production dependencies, the compiled code, proto/ and config/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are skipped here: `prepare` builds, and the sources are not copied yet.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY actors ./actors
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# lmdb and msgpackr ship prebuilt binaries for linux-x64/arm64 glibc; no compiler needed.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY proto ./proto
COPY config ./config
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 50051 9464
ENTRYPOINT ["node", "bin/vigil.js"]
CMD ["serve", "--data-dir", "/data", "--listen", "0.0.0.0:50051", "--metrics-listen", "0.0.0.0:9464"]
