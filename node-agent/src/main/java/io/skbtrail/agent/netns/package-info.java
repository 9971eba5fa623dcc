/** Network namespaces: naming them by path or inode, and finding interfaces inside them. */
package io.skbtrail.agent.netns;
