package io.infrasteps.library.test

import com.lesfurets.jenkins.unit.global.lib.SourceRetriever

/** The repository root (vars/, src/, resources/, jenkinsfiles/), and a retriever that serves it as the library. */
class RepositoryRoot implements SourceRetriever {

    static File dir() {
        String configured = System.getProperty('library.root')
        File root = configured ? new File(configured) : new File('..')
        root = root.canonicalFile
        if (!new File(root, 'vars').isDirectory()) {
            throw new IllegalStateException("library.root ${root} has no vars/ folder")
        }
        return root
    }

    @Override
    List<URL> retrieve(String repository, String branch, String targetPath) {
        return [dir().toURI().toURL()]
    }

    @Override
    String toString() {
        return "RepositoryRoot{${dir()}}"
    }
}
