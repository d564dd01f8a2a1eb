# Compiles the app and its test into build/ (run by Berth with bash -e -o pipefail).
rm -rf build/classes build/test
mkdir -p build/classes build/test
javac -d build/classes src/Hello.java
javac -d build/test -cp build/classes test/HelloTest.java
echo "built $(find build/classes -name '*.class' | wc -l | tr -d ' ') classes for $BERTH_PROJECT at ${BERTH_COMMIT:-an uncommitted tree}"
