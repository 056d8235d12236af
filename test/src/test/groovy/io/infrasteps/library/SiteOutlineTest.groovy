package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.RepositoryRoot
import org.junit.BeforeClass
import org.junit.Test

/**
 * src/io/infrasteps/library/SiteOutline.groovy, the line scan of name, protected and regions[].name
 * that infraSite.describe uses and JobDslSeedTest derives jobs/sites.txt with: expected results on every
 * site file and on every sample here.
 */
class SiteOutlineTest {

    static File root = RepositoryRoot.dir()
    static Class outline

    @BeforeClass
    static void load() {
        // Compiled in memory from src/, never onto the test classpath (see LibrarySourcesTest).
        GroovyClassLoader loader = new GroovyClassLoader(SiteOutlineTest.classLoader)
        loader.addClasspath(new File(root, 'src').path)
        outline = loader.loadClass('io.infrasteps.library.SiteOutline')
    }

    static Map parse(String text) {
        return (Map) outline.parse(text, 'x.yaml')
    }

    static final String MINIMAL = '''\
name: stage-x
domain: x.example.com
regions:
  - name: us-ashburn-1
  - name: eu-frankfurt-1
'''

    @Test
    void everySiteFileIsRead() {
        List<File> files = (new File(root, 'resources/sites').listFiles() + new File(root, 'test/src/test/fixtures/resources/sites').listFiles()).toList()
        files.findAll { it.name.endsWith('.yaml') }.each { File f ->
            Map site = parse(f.getText('UTF-8'))
            assertEquals(f.name, [], site.problems)
        }
        assertEquals([name: 'stage-example', regions: ['us-ashburn-1', 'eu-frankfurt-1'], protected: false, problems: []],
                parse(new File(root, 'resources/sites/stage-example.yaml').getText('UTF-8')))
    }

    @Test
    void blockStyleVariantsAreRead() {
        Map expected = [name: 'stage-x', regions: ['us-ashburn-1', 'eu-frankfurt-1'], protected: false, problems: []]
        assertEquals(expected, parse(MINIMAL))
        assertEquals(expected, parse(MINIMAL.replace('  - name', '- name')))
        assertEquals(expected, parse('---\n' + MINIMAL))
        assertEquals(expected, parse(MINIMAL.replace('\n', '\r\n')))
        assertEquals(expected, parse(MINIMAL.replace('name: stage-x', "name: 'stage-x'   # the name").replace('- name: us-ashburn-1', '- name: "us-ashburn-1" # first')))
        assertEquals(expected, parse(MINIMAL.replace('  - name: us-ashburn-1', '  -   datacenter: dc-1\n      name: us-ashburn-1\n      haproxy:\n        - name: haproxy-a\n          address: tcp://x:1')))
        assertEquals(expected, parse(MINIMAL.replace('  - name: us-ashburn-1', '  -\n    name: us-ashburn-1')))
        assertEquals(expected, parse("haproxy:\n  knownHosts: |\n    regions:\n    - name: not-a-region\n" + MINIMAL))
        assertEquals(expected + [protected: true], parse(MINIMAL + 'protected: true\n'))
        assertEquals(expected + [protected: true], parse(MINIMAL + 'protected: True # ask first\n'))
        assertEquals(expected, parse(MINIMAL + 'protected: false\n'))
        assertEquals(expected, parse(MINIMAL + 'protected:\n'))
        assertEquals(expected, parse('regions:\n- name: us-ashburn-1\n- name: eu-frankfurt-1\nname: stage-x\n'))
    }

    @Test
    void whatTheScanDoesNotUnderstandIsAProblemNamingTheLine() {
        Map<String, String> cases = [
                (MINIMAL.replace('regions:\n  - name: us-ashburn-1\n  - name: eu-frankfurt-1\n', 'regions: [{name: us-ashburn-1}]\n')):
                        "x.yaml line 3: regions: write the regions as a block list of '- name: <region>' items, not on the key's line",
                (MINIMAL.replace('  - name: us-ashburn-1', '  - <<: *base')):
                        "x.yaml line 4: regions: write each region as plain 'key: value' lines (no flow style, anchors or merge keys)",
                (MINIMAL.replace('  - name: us-ashburn-1', '\t- name: us-ashburn-1')):
                        'x.yaml line 4: a tab in the indentation; indent with spaces',
                (MINIMAL + '---\nname: other\n'):
                        'x.yaml line 6: a second YAML document; a site file holds one',
                (MINIMAL.replace('  - name: eu-frankfurt-1', '  - datacenter: x')):
                        'x.yaml line 5: regions: this region has no name: key',
                (MINIMAL.replace('  - name: eu-frankfurt-1', '  - name: a\n    name: b')):
                        'x.yaml line 6: regions: a region has two name: keys',
                (MINIMAL.replace('  - name: eu-frankfurt-1', '  - name: us-ashburn-1')):
                        'x.yaml line 5: regions: region us-ashburn-1 is listed twice',
                (MINIMAL.replace('  - name: eu-frankfurt-1', '  - name: ../x')):
                        "x.yaml line 5: regions[].name must match [a-z0-9][a-z0-9-]{0,62}",
                (MINIMAL.replace('  - name: eu-frankfurt-1', ' - name: eu-frankfurt-1')):
                        "x.yaml line 5: regions: expected a '- ' item at column 3",
                (MINIMAL.replace('regions:\n', 'regions:\n  name: x\n')):
                        "x.yaml line 4: regions: write the regions as a block list of '- name: <region>' items",
                (MINIMAL + 'name: again\n'):
                        'x.yaml line 6: name is given twice',
                (MINIMAL + 'regions:\n  - name: x\n'):
                        'x.yaml line 6: regions is given twice',
                (MINIMAL + 'protected: yes\n'):
                        "x.yaml: protected must be true or false; got 'yes'",
                (MINIMAL + 'protected: "true"\nprotected: false\n'):
                        'x.yaml line 7: protected is given twice',
                (MINIMAL.replace('name: stage-x', 'name: Stage_X')):
                        "x.yaml: name must match [a-z0-9][a-z0-9-]{0,62}",
                (MINIMAL.replace('name: stage-x\n', '')):
                        'x.yaml: name is required',
                ('name: stage-x\n'):
                        "x.yaml: regions is required: a block list of '- name: <region>' items, at least one",
                ('- name: stage-x\n'):
                        "x.yaml line 1: expected a top-level 'key: value' line",
                ('name:stage-x\n'):
                        "x.yaml line 1: expected a top-level 'key: value' line",
                (''):
                        'x.yaml is empty',
                ('name: stage-x\nregions:\n' + (1..65).collect { "  - name: r${it}\n" }.join('')):
                        'x.yaml: regions lists 65 regions; at most 64 are allowed',
        ]
        cases.each { String text, String expected ->
            Map site = parse(text)
            assertTrue("${expected}\n/ ${site.problems}".toString(), site.problems.any { it.startsWith(expected) })
            if (site.problems.any { !it.contains('protected') }) {
                assertEquals(text, [], site.regions)
            }
        }
        // A protected value the scan cannot read counts as protected.
        assertEquals(true, parse(MINIMAL + 'protected: yes\n').protected)
    }
}
