# The operator image: a JRE, the packaged jar, a non-root user. Works with a read-only root
# filesystem as long as /tmp is writable (the chart mounts an emptyDir there).
# Build after `./mvnw -B package -DskipTests`:  docker build -t artifactstore-operator:0.1.0 .
FROM eclipse-temurin:17-jre
RUN groupadd --gid 10001 artifactstore \
 && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin artifactstore
COPY operator/target/artifactstore-operator.jar /opt/artifactstore/artifactstore-operator.jar
# 50 % of a 512 MiB limit is the 256 MiB heap bench/ measures 1000 stores in; the work is I/O, so
# the serial collector and the C1 compiler only save memory and start-up time. A JVM out of memory
# exits, so Kubernetes restarts it, instead of living on with threads that died.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
# One training run of the self-contained demo leaves a class-data archive: the JVM then maps the
# operator's classes at start instead of loading them (bench/: 1.8 s instead of 2.7 s to the first
# reconcile). A JVM that cannot use the archive starts without it.
RUN java -XX:ArchiveClassesAtExit=/opt/artifactstore/artifactstore-operator.jsa \
      -jar /opt/artifactstore/artifactstore-operator.jar demo --exit-when-ready --timeout 3m
USER 10001:10001
EXPOSE 8080 8081
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/artifactstore/artifactstore-operator.jsa", "-jar", "/opt/artifactstore/artifactstore-operator.jar"]
CMD ["run"]
