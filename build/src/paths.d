build/src/paths.o: src/paths.c src/paths.h src/util.h
src/paths.h:
src/util.h:
